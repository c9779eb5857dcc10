-- One push attempt per dispatch: the consumer claims the dispatch before attempting it, so a
-- second copy of the same message (relayed twice after a crash) finds it claimed and skips.
alter table deliveries add column claimed_at timestamptz null;

-- The scheduler looks for unsent outbox rows of a flow before adding another one.
create index outbox_unsent_flow_idx on outbox (flow_id) where sent_at is null;
