/**
 * PGlite runs PostgreSQL as a single-user backend, which has no autovacuum either: an updated or
 * deleted row stays in its table and in every index until a VACUUM. A queue read in index order
 * then walks all of them: after a backlog over 10,000 contacts had failed four times,
 * a claim of the next 24 webhook queues read 40,000 dead index entries first: 7.9 ms, 1.5 vacuumed.
 * So this vacuums a table when PostgreSQL's autovacuum would, by its default threshold: more
 * dead rows than 50 + 20 % of the live ones. Vacuum only: no ANALYZE, so plans keep working
 * without statistics as they were made to (the plan tests in test/storage).
 */
const DUE_TABLES = `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
  WHERE n_dead_tup > 50 + 0.2 * n_live_tup ORDER BY n_dead_tup DESC`;

export interface VacuumTarget {
  query<T>(sql: string): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** Vacuums the tables past the threshold, the most dead rows first; returns their names. */
export async function vacuumDueTables(db: VacuumTarget): Promise<string[]> {
  const due = (await db.query<{ name: string }>(DUE_TABLES)).map((t) => t.name);
  for (const name of due) await db.exec(`VACUUM ${name}`);
  return due;
}
