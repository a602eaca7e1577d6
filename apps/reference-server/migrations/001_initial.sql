-- Every domain time is BIGINT milliseconds since the epoch, written by the server from
-- its own (movable) sandbox clock: no now() defaults here.

CREATE TABLE users (
  username             text PRIMARY KEY,
  password_hash        text NOT NULL,
  must_change_password boolean NOT NULL,
  updated_at           bigint NOT NULL
);

CREATE TABLE tokens (
  token_hash text PRIMARY KEY,
  username   text NOT NULL REFERENCES users ON DELETE CASCADE,
  expires_at bigint NOT NULL
);
CREATE INDEX tokens_expires_at_idx ON tokens (expires_at);

CREATE TABLE app_settings (
  id                          smallint PRIMARY KEY CHECK (id = 1),
  show_security_notifications boolean NOT NULL DEFAULT false
);
INSERT INTO app_settings (id) VALUES (1);

CREATE TABLE sandbox_clock (
  id        smallint PRIMARY KEY CHECK (id = 1),
  offset_ms bigint NOT NULL DEFAULT 0
);
INSERT INTO sandbox_clock (id) VALUES (1);

-- has_account = false: the number was deleted in the sandbox.
CREATE TABLE accounts (
  wa_id                 text PRIMARY KEY,
  has_account           boolean NOT NULL,
  identity_hash         text,
  identity_created_at   bigint,
  identity_acknowledged boolean NOT NULL DEFAULT true,
  updated_at            bigint NOT NULL
);

-- The 7-day cache of final check results, per normalized number.
CREATE TABLE contact_checks (
  wa_id      text PRIMARY KEY,
  status     text NOT NULL CHECK (status IN ('valid', 'invalid')),
  checked_at bigint NOT NULL
);

-- Numbers answered "processing" whose background check has not finished.
CREATE TABLE pending_checks (
  wa_id        text PRIMARY KEY,
  requested_at bigint NOT NULL
);

CREATE TABLE inbound_messages (
  id          text PRIMARY KEY,
  wa_id       text NOT NULL,
  body        text NOT NULL,
  received_at bigint NOT NULL
);
CREATE INDEX inbound_messages_wa_id_received_at_idx ON inbound_messages (wa_id, received_at DESC);

-- seq gives the blocklist a stable order that survives re-blocking attempts.
CREATE TABLE blocks (
  wa_id      text PRIMARY KEY,
  reason     text,
  blocked_at bigint NOT NULL,
  seq        bigserial NOT NULL
);
CREATE UNIQUE INDEX blocks_seq_idx ON blocks (seq);

CREATE TABLE reports (
  id          bigserial PRIMARY KEY,
  wa_id       text NOT NULL,
  reason      text,
  block       boolean NOT NULL,
  reported_at bigint NOT NULL,
  message_ids text[] NOT NULL
);
