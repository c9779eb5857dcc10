-- Registry: who takes part and what they may exchange. Loaded from the registry file.
create table registry_versions (
    version       text primary key,
    file_sha256   text not null,
    loaded_at     timestamptz not null
);

create table administrations (
    id            text primary key,
    name          text not null,
    siren         text null,
    role          text not null check (role in ('administration', 'auditor')),
    updated_at    timestamptz not null
);

create table administration_certificates (
    sha256            text primary key,          -- SHA-256 of the certificate's DER, lowercase hex
    administration_id text not null references administrations (id),
    subject           text not null,
    serial_number     text not null,
    not_after         timestamptz null,          -- unknown when registered by fingerprint only
    revoked_at        timestamptz null
);

create table flow_types (
    id                  text primary key,
    description         text not null,
    media_types         text[] not null,
    max_size_bytes      bigint not null check (max_size_bytes > 0),
    signature_level     text not null check (signature_level in ('none', 'RGS*', 'RGS**', 'RGS***')),
    seal_unsigned       boolean not null default false,
    delivery_expiry_s   bigint not null check (delivery_expiry_s > 0),
    retention_days      integer not null check (retention_days > 0),
    senders             text[] not null,
    recipients          text[] not null,
    updated_at          timestamptz not null
);

-- Flows and their deliveries.
create table flows (
    id                uuid primary key,          -- UUID v7, so ordering by id is ordering by acceptance
    flow_type_id      text not null references flow_types (id),
    sender_id         text not null references administrations (id),
    payload_sha256    text not null,
    payload_size      bigint not null,
    media_type        text not null,             -- the Content-Type as sent, parameters included
    idempotency_key   text not null,
    correlation_id    text null,
    status            text not null check (status in ('accepted', 'routed', 'delivered', 'acknowledged', 'failed')),
    accepted_at       timestamptz not null,
    updated_at        timestamptz not null,
    unique (sender_id, idempotency_key)
);
create index flows_sender_idx on flows (sender_id, id);
create index flows_type_idx on flows (flow_type_id, id);
create index flows_accepted_at_idx on flows (accepted_at);

create table flow_recipients (
    flow_id       uuid not null references flows (id),
    recipient_id  text not null references administrations (id),
    primary key (flow_id, recipient_id)
);
create index flow_recipients_recipient_idx on flow_recipients (recipient_id, flow_id);

create table deliveries (
    flow_id           uuid not null references flows (id),
    recipient_id      text not null references administrations (id),
    channel           text not null check (channel in ('mailbox')),
    status            text not null check (status in ('available', 'delivered', 'acknowledged', 'failed')),
    routed_at         timestamptz not null,
    delivered_at      timestamptz null,
    acknowledged_at   timestamptz null,
    reply_sha256      text null,
    reply_size        bigint null,
    reply_media_type  text null,
    primary key (flow_id, recipient_id)
);
create index deliveries_mailbox_idx on deliveries (recipient_id, flow_id) where status in ('available', 'delivered');

create table receipts (
    id            uuid primary key,
    flow_id       uuid not null references flows (id),
    kind          text not null check (kind in ('deposit', 'delivery', 'acknowledgement', 'non-delivery')),
    recipient_id  text null references administrations (id),
    issued_at     timestamptz not null,
    document      bytea not null,
    unique nulls not distinct (flow_id, kind, recipient_id)
);

-- Append-only audit log, hash-chained: hash = SHA-256(prev_hash || UTF-8 of canonical), where
-- canonical is the exact JSON text that was hashed (jsonb would reorder it, so it is kept as text).
create table audit_log (
    seq         bigint primary key,
    at          timestamptz not null,
    event       text not null,
    actor_id    text null,
    flow_id     uuid null,
    details     jsonb not null,
    canonical   text not null,
    prev_hash   bytea not null,
    hash        bytea not null
);
create index audit_log_flow_idx on audit_log (flow_id) where flow_id is not null;

-- One row whose lock serializes appends, so the chain has no forks.
create table audit_head (
    singleton   boolean primary key default true check (singleton),
    seq         bigint not null,
    hash        bytea not null
);
insert into audit_head (seq, hash) values (0, decode(repeat('00', 32), 'hex'));

-- Transactional outbox: written with the state change, relayed to RabbitMQ with publisher confirms.
create table outbox (
    id            bigserial primary key,
    message_type  text not null,
    flow_id       uuid not null,
    body          jsonb not null,
    trace_parent  text null,
    created_at    timestamptz not null,
    sent_at       timestamptz null
);
create index outbox_unsent_idx on outbox (id) where sent_at is null;

-- Steps already done by idempotent consumers, keyed by flow id and step name.
create table processed_steps (
    flow_id       uuid not null,
    step          text not null,
    processed_at  timestamptz not null,
    primary key (flow_id, step)
);
