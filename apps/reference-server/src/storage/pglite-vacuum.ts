/**
 * PGlite runs PostgreSQL as a single-user backend, which has no autovacuum either: an updated or
 * deleted row stays in its table and in every index until a VACUUM. A queue read in index order
 * then walks all of them: after a backlog over 10,000 contacts had failed four times,
 * a claim of the next 24 webhook queues read 40,000 dead index entries first: 7.9 ms, 1.5 vacuumed.
 * So this vacuums a table when autovacuum would, but only the tables whose migration names
 * their autovacuum_vacuum_threshold (and scale factor, 0.2 by default): the queues. Vacuuming
 * every table so cost more than it saved (a force_check of 100 numbers 2.0 -> 3.3 ms of CPU:
 * contact_checks vacuumed each second). Vacuum only: no ANALYZE, so plans keep working without
 * statistics as they were made to (the plan tests in test/storage).
 */
const DUE_TABLES = `SELECT format('%I.%I', s.schemaname, s.relname) AS name
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
  CROSS JOIN LATERAL (SELECT
    (SELECT option_value::float8 FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_vacuum_threshold') AS threshold,
    (SELECT option_value::float8 FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_vacuum_scale_factor') AS scale) o
  WHERE s.n_dead_tup > o.threshold + COALESCE(o.scale, 0.2) * s.n_live_tup
  ORDER BY s.n_dead_tup DESC`;

export interface VacuumTarget {
  query<T>(sql: string): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** Vacuums the tables past their threshold, the most dead rows first; returns their names. */
export async function vacuumDueTables(db: VacuumTarget): Promise<string[]> {
  const due = (await db.query<{ name: string }>(DUE_TABLES)).map((t) => t.name);
  for (const name of due) await db.exec(`VACUUM ${name}`);
  return due;
}
