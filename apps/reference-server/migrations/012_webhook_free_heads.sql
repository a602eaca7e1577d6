-- The earliest free head (the deliverer's wake-up, nextWake) is the first entry of this index:
-- an ORDER BY … LIMIT 1 with no filter to guess at. Without statistics (PGlite never runs
-- ANALYZE) `lease_until IS NULL` was guessed rare, and the planner read and sorted every queue,
-- with webhook_queues_due_idx or a partial index on free heads alike. Leased heads index as NULL, last.
CREATE INDEX webhook_queues_free_idx ON webhook_queues ((CASE WHEN lease_until IS NULL THEN next_attempt_at END));
