-- When an ordered delivery's predecessor finishes, it marks its waiting successors woken, even one
-- claimed at that moment; a successor put back after its claim then sees the mark and is due at once.
alter table deliveries add column woken_at timestamptz null;
