-- Durable delivery: push channels, retry state, expiry, every attempt, dead letters, ordering.

-- How each administration receives flows: its pull mailbox, or HTTPS push to its endpoint.
alter table administrations
    add column delivery_channel text not null default 'mailbox' check (delivery_channel in ('mailbox', 'https')),
    add column delivery_url text null,
    add column delivery_ca_file text null;
alter table administrations drop constraint administrations_role_check;
alter table administrations add constraint administrations_role_check check (role in ('administration', 'auditor', 'operator'));

-- Flow types may ask for delivery in submission order per correlation id and recipient.
alter table flow_types add column ordered boolean not null default false;
create index flows_correlation_idx on flows (sender_id, correlation_id, id) where correlation_id is not null;

-- 'pending': a push delivery waiting for its next attempt. dispatch_id names the one message
-- allowed to attempt it; next_attempt_at is the retry time, or the lease end while in flight.
alter table deliveries drop constraint deliveries_channel_check;
alter table deliveries add constraint deliveries_channel_check check (channel in ('mailbox', 'https'));
alter table deliveries drop constraint deliveries_status_check;
alter table deliveries add constraint deliveries_status_check check (status in ('available', 'pending', 'delivered', 'acknowledged', 'failed'));
alter table deliveries
    add column attempts integer not null default 0,
    add column next_attempt_at timestamptz null,
    add column dispatch_id uuid null,
    add column expires_at timestamptz null,
    add column failed_at timestamptz null,
    add column failure_reason text null;
create index deliveries_due_idx on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_expiry_idx on deliveries (expires_at) where status in ('available', 'pending');

-- Every push attempt, whatever its outcome; kept with the flow as evidence.
create table delivery_attempts (
    id            bigserial primary key,
    flow_id       uuid not null,
    recipient_id  text not null,
    attempt       integer not null,
    started_at    timestamptz not null,
    finished_at   timestamptz not null,
    outcome       text not null check (outcome in ('delivered', 'retry', 'refused', 'unreachable', 'circuit-open', 'payload-corrupt')),
    http_status   integer null,
    detail        text null,
    foreign key (flow_id, recipient_id) references deliveries (flow_id, recipient_id)
);
create index delivery_attempts_delivery_idx on delivery_attempts (flow_id, recipient_id, id);

-- Deliveries that ended without success, for operators to replay or discard.
create table dead_letters (
    id               uuid primary key,
    flow_id          uuid not null,
    recipient_id     text not null,
    reason           text not null check (reason in ('recipient-refused', 'unreachable', 'expired', 'payload-corrupt', 'poison-message')),
    detail           text not null,
    attempts         integer not null,
    created_at       timestamptz not null,
    status           text not null check (status in ('open', 'replayed', 'discarded')),
    resolved_at      timestamptz null,
    resolved_by      text null,
    resolution_note  text null,
    foreign key (flow_id, recipient_id) references deliveries (flow_id, recipient_id)
);
create unique index dead_letters_open_idx on dead_letters (flow_id, recipient_id) where status = 'open';
create index dead_letters_list_idx on dead_letters (status, id);
