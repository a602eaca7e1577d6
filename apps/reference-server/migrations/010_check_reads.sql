-- A check of numbers the process does not hold joins check_inputs to contact_checks by wa_id:
-- with status and checked_at in the key's index, the result comes from the index page alone
-- wherever the visibility map allows (an index-only scan), not from a random page of the table
-- as well (one of the 3 pages a number cost).
-- The index build sorts in PGlite's WebAssembly memory, which never shrinks: 64 MB (the
-- default) left a server upgraded with 1,000,000 numbers at 300 MB of RSS.
SET LOCAL maintenance_work_mem = '4MB';
ALTER TABLE contact_checks
  DROP CONSTRAINT contact_checks_pkey,
  ADD CONSTRAINT contact_checks_pkey PRIMARY KEY (wa_id) INCLUDE (status, checked_at);
