-- The newest bucket and its part were one row each, updated by every block (new blocks take the
-- newest seq values) and by every unblock of a contact blocked lately: on PostgreSQL each such
-- transaction waited for the one before it to commit (Lock:transactionid, then its WAL flush).
-- Now a block is counted in the row of the connection that wrote it (its backend pid modulo 16,
-- kept in the block as count_shard), and its unblock takes it off that same row: connections
-- add to rows of their own, a row never counts more than the blocks it holds, and a count is the
-- sum of its rows (blocks.ts). PGlite has one backend, so one row per bucket and part, as before.
ALTER TABLE blocks ADD COLUMN count_shard smallint NOT NULL DEFAULT 0;
ALTER TABLE blocks ALTER COLUMN count_shard SET DEFAULT pg_backend_pid() & 15;

ALTER TABLE blocks_buckets ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE blocks_buckets DROP CONSTRAINT blocks_buckets_pkey;
ALTER TABLE blocks_buckets ADD PRIMARY KEY (bucket, shard);
ALTER TABLE blocks_totals ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE blocks_totals DROP CONSTRAINT blocks_totals_pkey;
ALTER TABLE blocks_totals ADD PRIMARY KEY (part, shard);

-- Buckets first, then parts, each in key order, as in 010: every statement takes the rows' locks
-- in one order.
CREATE OR REPLACE FUNCTION blocks_buckets_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO blocks_buckets (bucket, shard, n)
  SELECT seq >> 10, count_shard, count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (bucket, shard) DO UPDATE SET n = blocks_buckets.n + excluded.n;
  INSERT INTO blocks_totals (part, shard, n)
  SELECT seq >> 15, count_shard, count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (part, shard) DO UPDATE SET n = blocks_totals.n + excluded.n;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION blocks_buckets_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE blocks_buckets SET n = blocks_buckets.n - r.n
  FROM (SELECT seq >> 10 AS bucket, count_shard AS shard, count(*) AS n FROM removed GROUP BY 1, 2 ORDER BY 1, 2) AS r
  WHERE blocks_buckets.bucket = r.bucket AND blocks_buckets.shard = r.shard;
  UPDATE blocks_totals SET n = blocks_totals.n - r.n
  FROM (SELECT seq >> 15 AS part, count_shard AS shard, count(*) AS n FROM removed GROUP BY 1, 2 ORDER BY 1, 2) AS r
  WHERE blocks_totals.part = r.part AND blocks_totals.shard = r.shard;
  RETURN NULL;
END $$;
