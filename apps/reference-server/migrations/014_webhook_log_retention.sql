-- The delivery log keeps the newest callbacks (WA_WEBHOOK_LOG_KEEP): an older one is deleted once
-- delivered, oldest first (pruneDeliveredCallbacks in outbox.ts), read off this index, which
-- holds no pending callback however old.
CREATE INDEX webhook_callbacks_delivered_idx ON webhook_callbacks (id) WHERE delivered_at IS NOT NULL;
-- Their rows (and their attempts, deleted with them) leave space that only a vacuum frees for
-- reuse. PostgreSQL's defaults, named so that PGlite vacuums them too (src/storage/pglite-vacuum.ts).
ALTER TABLE webhook_callbacks SET (autovacuum_vacuum_threshold = 50, autovacuum_vacuum_scale_factor = 0.2);
ALTER TABLE webhook_attempts SET (autovacuum_vacuum_threshold = 50, autovacuum_vacuum_scale_factor = 0.2);
-- A callback's attempts are deleted with it by the statements that delete callbacks (outbox.ts),
-- as a set: the cascade ran a statement per callback deleted, and the key's check one per attempt
-- recorded; together about half the cost of cutting the log.
ALTER TABLE webhook_attempts DROP CONSTRAINT webhook_attempts_callback_id_fkey;
