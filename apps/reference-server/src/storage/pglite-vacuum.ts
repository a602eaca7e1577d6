/**
 * PGlite runs PostgreSQL as a single-user backend, which has no autovacuum either: an updated or
 * deleted row stays in its table and in every index until a VACUUM. A queue read in index order
 * then walks all of them: after a backlog over 10,000 contacts had failed four times,
 * a claim of the next 24 webhook queues read 40,000 dead index entries first: 7.9 ms, 1.5 vacuumed.
 * So this vacuums a table when autovacuum would, but only the tables whose migration names
 * their autovacuum_vacuum_threshold (and scale factor, 0.2 by default): the webhook tables. Vacuuming
 * every table so cost more than it saved (a force_check of 100 numbers 2.0 -> 3.3 ms of CPU:
 * contact_checks vacuumed each second). Vacuum only: no ANALYZE, so plans keep working without
 * statistics as they were made to (the plan tests in test/storage).
 */
// Tables with options only (the three webhook tables today), and their counts; read once a second, so the options are
// parsed here: the same test in SQL with pg_options_to_table took 2.3 ms a call, this 0.6.
const TABLES = `SELECT c.oid::regclass::text AS name, c.reloptions AS options,
  pg_stat_get_dead_tuples(c.oid) AS dead, pg_stat_get_live_tuples(c.oid) AS live
  FROM pg_class c WHERE c.relkind = 'r' AND c.reloptions IS NOT NULL`;

interface TableCounts {
  name: string;
  /** `name=value` storage parameters. */
  options: string[];
  dead: number;
  live: number;
}

const option = (options: readonly string[], name: string): number | undefined => {
  const found = options.find((o) => o.startsWith(`${name}=`));
  return found === undefined ? undefined : Number(found.slice(name.length + 1));
};

/** Past the table's own autovacuum threshold; a table that names none is never due. */
function isDue({ options, dead, live }: TableCounts): boolean {
  const threshold = option(options, 'autovacuum_vacuum_threshold');
  return (
    threshold !== undefined && dead > threshold + (option(options, 'autovacuum_vacuum_scale_factor') ?? 0.2) * live
  );
}

export interface VacuumTarget {
  query<T>(sql: string): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** Vacuums the tables past their threshold, the most dead rows first; returns their names. */
export async function vacuumDueTables(db: VacuumTarget): Promise<string[]> {
  const due = (await db.query<TableCounts>(TABLES))
    .filter(isDue)
    .sort((a, b) => b.dead - a.dead)
    .map((t) => t.name);
  for (const name of due) await db.exec(`VACUUM ${name}`);
  return due;
}
