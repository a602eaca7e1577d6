-- blocks_totals counts per 32,768 consecutive seq values (32 buckets) instead of 2^20: a page
-- is found part first, then bucket within its part, each running sum over a few dozen rows at
-- most, where a page in the middle of 1,000,000 blocked summed some 500 buckets (2.9x a first
-- page's time on PGlite). The total sums one row per 32,768 blocked. A part holds at most 2^15
-- rows, so n stays an integer and its sum a bigint (see 009).
DELETE FROM blocks_totals;
INSERT INTO blocks_totals (part, n) SELECT bucket >> 5, sum(n) FROM blocks_buckets GROUP BY 1;

-- Buckets first, then parts, each in key order, as in 010.
CREATE OR REPLACE FUNCTION blocks_buckets_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO blocks_buckets (bucket, n)
  SELECT seq >> 10, count(*) FROM added GROUP BY 1 ORDER BY 1
  ON CONFLICT (bucket) DO UPDATE SET n = blocks_buckets.n + excluded.n;
  INSERT INTO blocks_totals (part, n)
  SELECT seq >> 15, count(*) FROM added GROUP BY 1 ORDER BY 1
  ON CONFLICT (part) DO UPDATE SET n = blocks_totals.n + excluded.n;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION blocks_buckets_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE blocks_buckets SET n = blocks_buckets.n - r.n
  FROM (SELECT seq >> 10 AS bucket, count(*) AS n FROM removed GROUP BY 1 ORDER BY 1) AS r
  WHERE blocks_buckets.bucket = r.bucket;
  UPDATE blocks_totals SET n = blocks_totals.n - r.n
  FROM (SELECT seq >> 15 AS part, count(*) AS n FROM removed GROUP BY 1 ORDER BY 1) AS r
  WHERE blocks_totals.part = r.part;
  RETURN NULL;
END $$;
