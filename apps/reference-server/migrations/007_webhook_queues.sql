-- One row per contact with pending callbacks: its head (the callback that goes out next), when
-- that is due and who holds it. Kept by outbox.ts in the transactions that queue, finish and
-- redeliver callbacks, so a claim reads due heads off an index instead of every pending callback.
CREATE TABLE webhook_queues (
  contact         text PRIMARY KEY,
  head_id         bigint NOT NULL,
  -- No pending callback of the contact has a lower id (one that committed after a later id, or
  -- a redelivered one, lowers it): the next head is looked up from here.
  scan_from       bigint NOT NULL,
  -- Sandbox time, the head's next_attempt_at.
  next_attempt_at bigint NOT NULL,
  -- Real time (Date.now()): an instance is POSTing the head until then.
  lease_until     bigint,
  -- The head's memory_owner (callback_persist false).
  memory_owner    text
);
CREATE INDEX webhook_queues_due_idx ON webhook_queues (next_attempt_at, head_id);
-- The callbacks in flight over every instance: leased heads only.
CREATE INDEX webhook_queues_leased_idx ON webhook_queues (lease_until) WHERE lease_until IS NOT NULL;

INSERT INTO webhook_queues (contact, head_id, scan_from, next_attempt_at, lease_until, memory_owner)
SELECT DISTINCT ON (contact) contact, id, id, next_attempt_at, lease_until, memory_owner
FROM webhook_callbacks WHERE delivered_at IS NULL
ORDER BY contact, id;

-- The lease is the queue's now.
ALTER TABLE webhook_callbacks DROP COLUMN lease_until;
