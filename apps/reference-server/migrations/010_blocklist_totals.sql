-- The blocklist's total from one row per 1,048,576 consecutive seq values (1,024 buckets), kept
-- by the buckets' statement triggers in the same statement: a page's total summed every bucket,
-- about a thousand rows at 1,000,000 blocked (a fifth of a first page's CPU on PGlite). A part
-- holds at most 2^20 rows, so n is an integer and its sum a bigint (see 009).
CREATE TABLE blocks_totals (
  part bigint PRIMARY KEY,
  n    integer NOT NULL
);
INSERT INTO blocks_totals (part, n) SELECT bucket >> 10, sum(n) FROM blocks_buckets GROUP BY 1;

-- Buckets first, then parts, each in key order: every statement takes the rows' locks in one order.
CREATE OR REPLACE FUNCTION blocks_buckets_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO blocks_buckets (bucket, n)
  SELECT seq >> 10, count(*) FROM added GROUP BY 1 ORDER BY 1
  ON CONFLICT (bucket) DO UPDATE SET n = blocks_buckets.n + excluded.n;
  INSERT INTO blocks_totals (part, n)
  SELECT seq >> 20, count(*) FROM added GROUP BY 1 ORDER BY 1
  ON CONFLICT (part) DO UPDATE SET n = blocks_totals.n + excluded.n;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION blocks_buckets_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE blocks_buckets SET n = blocks_buckets.n - r.n
  FROM (SELECT seq >> 10 AS bucket, count(*) AS n FROM removed GROUP BY 1 ORDER BY 1) AS r
  WHERE blocks_buckets.bucket = r.bucket;
  UPDATE blocks_totals SET n = blocks_totals.n - r.n
  FROM (SELECT seq >> 20 AS part, count(*) AS n FROM removed GROUP BY 1 ORDER BY 1) AS r
  WHERE blocks_totals.part = r.part;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION blocks_buckets_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM blocks_buckets;
  DELETE FROM blocks_totals;
  RETURN NULL;
END $$;
