-- Routing codes of administrations (such as a commune's INSEE code) and the rules of a flow type
-- that map values of the payload to those codes, so a submission may omit Pec-Recipients.
alter table flow_types add column recipient_rules jsonb not null default '[]'::jsonb;

create table administration_codes (
    kind              text not null,             -- 'insee', 'siren' or 'siret'
    code              text not null,
    administration_id text not null references administrations (id),
    primary key (kind, code)                     -- one code names one administration
);
create index administration_codes_administration_idx on administration_codes (administration_id);
