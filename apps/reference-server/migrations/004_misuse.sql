-- Meta's misuse rule: numbers asked of WhatsApp and messages sent, per day of the sandbox clock
-- (day = floor(ms / 86400000)); one row per day keeps simultaneous counts to one upsert each.
CREATE TABLE misuse_counts (
  day     bigint PRIMARY KEY,
  checked bigint NOT NULL DEFAULT 0,
  sent    bigint NOT NULL DEFAULT 0
);

-- version grows with every change, so instances keep the newest state they heard of.
CREATE TABLE misuse_state (
  id          smallint PRIMARY KEY CHECK (id = 1),
  state       text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'warned', 'disabled')),
  warned_at   bigint,
  disabled_at bigint,
  version     bigint NOT NULL DEFAULT 0
);
INSERT INTO misuse_state (id) VALUES (1);
