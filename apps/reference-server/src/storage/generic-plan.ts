/**
 * Starts a SQL text that PGlite runs with a generic plan, planned once: otherwise PostgreSQL plans
 * every call of a statement whose generic plan it costs higher than a custom one (a `LIMIT $1`
 * counts as 10 % of the rows), about a third of a blocklist page's CPU on PGlite. On PostgreSQL,
 * planning is the database server's work, and the text runs as it is.
 */
export const GENERIC_PLAN = '/* generic plan */ ';
