-- The blocklist in buckets of 1,024 consecutive seq values with their row counts, kept by
-- statement triggers in the same transaction as the blocks: the total is a sum of a few
-- hundred rows and a page at any offset skips whole buckets, instead of counting and walking
-- every blocked contact (docs/performance.md).
CREATE TABLE blocks_buckets (
  bucket bigint PRIMARY KEY,
  n      bigint NOT NULL
);
INSERT INTO blocks_buckets (bucket, n) SELECT seq >> 10, count(*) FROM blocks GROUP BY 1;

CREATE FUNCTION blocks_buckets_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- In bucket order, so two statements adding to several buckets lock them in one order.
  INSERT INTO blocks_buckets (bucket, n)
  SELECT seq >> 10, count(*) FROM added GROUP BY 1 ORDER BY 1
  ON CONFLICT (bucket) DO UPDATE SET n = blocks_buckets.n + excluded.n;
  RETURN NULL;
END $$;

CREATE FUNCTION blocks_buckets_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE blocks_buckets SET n = blocks_buckets.n - r.n
  FROM (SELECT seq >> 10 AS bucket, count(*) AS n FROM removed GROUP BY 1 ORDER BY 1) AS r
  WHERE blocks_buckets.bucket = r.bucket;
  RETURN NULL;
END $$;

CREATE FUNCTION blocks_buckets_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM blocks_buckets;
  RETURN NULL;
END $$;

CREATE TRIGGER blocks_buckets_insert AFTER INSERT ON blocks
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION blocks_buckets_added();
CREATE TRIGGER blocks_buckets_delete AFTER DELETE ON blocks
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION blocks_buckets_removed();
CREATE TRIGGER blocks_buckets_truncate AFTER TRUNCATE ON blocks
  FOR EACH STATEMENT EXECUTE FUNCTION blocks_buckets_truncated();
