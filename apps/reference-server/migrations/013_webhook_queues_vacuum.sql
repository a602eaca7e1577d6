-- webhook_queues is a queue: its rows are leased, freed, moved on and deleted many times a second
-- while callbacks go out, and each claim reads its due index from the front, where the dead
-- entries gather. The values are PostgreSQL's defaults, named on the table because PGlite, which
-- has no autovacuum, vacuums only the tables that name them (src/storage/pglite-vacuum.ts).
ALTER TABLE webhook_queues SET (autovacuum_vacuum_threshold = 50, autovacuum_vacuum_scale_factor = 0.2);
