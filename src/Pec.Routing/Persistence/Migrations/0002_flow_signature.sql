-- Evidence of the sender's signature, for flow types with a signature level: who signed,
-- the level met, the algorithms and the signing time, as the verifier reported them.
alter table flows add column signature jsonb null;
