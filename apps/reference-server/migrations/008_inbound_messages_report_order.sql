-- A report takes the contact's last 5 messages ORDER BY received_at DESC, id DESC: with id in
-- the index that is 5 index entries, where (wa_id, received_at DESC) alone sorted every message
-- sharing a received_at (a whole history under a frozen sandbox clock). It still serves max(received_at).
CREATE INDEX inbound_messages_wa_id_received_at_id_idx ON inbound_messages (wa_id, received_at DESC, id DESC);
DROP INDEX inbound_messages_wa_id_received_at_idx;
