-- A report takes the contact's last 5 messages ORDER BY received_at DESC, id DESC: with id in
-- the index that is 5 index entries, where (wa_id, received_at DESC) alone sorted every message
-- sharing a received_at (a whole history under a frozen sandbox clock). It still serves max(received_at).
CREATE INDEX inbound_messages_wa_id_received_at_id_idx ON inbound_messages (wa_id, received_at DESC, id DESC);
DROP INDEX inbound_messages_wa_id_received_at_idx;

-- What each input of a check normalized to (libphonenumber with full metadata, tens of µs), per
-- normalizer context (business country and calling code, libphonenumber version): a re-check of
-- a cached number with an input the process has not seen is one join, no parse. Failed inputs
-- are not kept (a cheap test decides most of them).
CREATE TABLE check_inputs (
  context text NOT NULL,
  input   text NOT NULL,
  kind    text NOT NULL CHECK (kind IN ('valid', 'possible')),
  wa_id   text NOT NULL,
  PRIMARY KEY (context, input)
);

-- A day's misuse counts in shards: every check's transaction added to the day's one row, which
-- every connection of every instance waited on; now each adds to one of 16 (MISUSE_SHARDS) and
-- the counts are the sums.
ALTER TABLE misuse_counts ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE misuse_counts DROP CONSTRAINT misuse_counts_pkey;
ALTER TABLE misuse_counts ADD PRIMARY KEY (day, shard);
