import type { Database, Queryable } from '../../src/storage/index.js';

/** `db` for a deliverer, calling onClaim with the rows of each claim that leased something. */
export function watchClaims(db: Database, onClaim: (rows: Array<{ contact: string }>) => void): Database {
  const watch = (tx: Queryable): Queryable => ({
    query: async <T>(sql: string, params?: unknown[]) => {
      const rows = await tx.query<T>(sql, params);
      if (sql.includes('leased AS') && rows.length > 0) onClaim(rows as Array<{ contact: string }>);
      return rows;
    },
  });
  return {
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction((tx) => fn(watch(tx))),
    listen: (channel, onMessage) => db.listen(channel, onMessage),
    close: async () => {},
  };
}
