-- Receipts are issued as XAdES B-B inside the flow's transaction; a background task adds the
-- RFC 3161 signature timestamp (B-T) afterwards, so an unreachable TSA never blocks a flow.
alter table receipts add column timestamped_at timestamptz null;
create index receipts_untimestamped_idx on receipts (issued_at) where timestamped_at is null;
