-- A bucket holds at most 1,024 rows: as integer its sums are bigint, where sum(bigint) is numeric
-- and a blocklist page near the end ran the running total of every bucket in numeric arithmetic
-- (15 % of that page's CPU on PGlite at 1,000,000 blocked).
ALTER TABLE blocks_buckets ALTER COLUMN n TYPE integer;
