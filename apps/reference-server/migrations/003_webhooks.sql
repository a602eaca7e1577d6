-- The webhook outbox: a callback is written in the transaction of its event and stays until a
-- 2xx acknowledges it. Sandbox-clock times (created_at, next_attempt_at, delivered_at) drive
-- the back-off; lease_until is real time (Date.now()): an instance is POSTing it until then.
CREATE TABLE webhook_callbacks (
  id              bigserial PRIMARY KEY,
  contact         text NOT NULL,
  payload         text NOT NULL,
  created_at      bigint NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  failures        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  delivered_at    bigint,
  lease_until     bigint,
  -- callback_persist false: the one instance that delivers it, and it is dropped when that one stops.
  memory_owner    text
);
-- Callbacks of one contact go out in id order: the oldest pending one of each contact is next.
CREATE INDEX webhook_callbacks_pending_idx ON webhook_callbacks (contact, id) WHERE delivered_at IS NULL;

CREATE TABLE webhook_attempts (
  callback_id bigint NOT NULL REFERENCES webhook_callbacks ON DELETE CASCADE,
  attempt     integer NOT NULL,
  started_at  bigint NOT NULL,
  duration_ms integer NOT NULL,
  http_status integer,
  error       text,
  PRIMARY KEY (callback_id, attempt)
);
