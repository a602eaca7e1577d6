import { PGlite, types } from '@electric-sql/pglite';
import {
  assertNotInTransaction,
  inTransactionScope,
  parseInt8,
  scopedHandle,
  type DatabaseAdapter,
  type ScriptQueryable,
} from './adapter.js';
import { Mutex } from './mutex.js';

/**
 * PGlite in this process: in memory for 'memory', else persisted in dataDir.
 *
 * Durability: on Node, PGlite's NodeFS maps PostgreSQL's file writes to synchronous
 * fs.writeSync calls, and PostgreSQL writes the WAL of a commit before the commit
 * returns, so a resolved write is in the kernel and survives kill -9 of this process
 * (test/storage/durability.test.ts checks it). PGlite runs PostgreSQL with fsync off and
 * its Emscripten file system has no fsync, so an OS crash or power loss can still lose
 * recent commits: production data belongs on PostgreSQL.
 */
export async function openPglite(dataDir: string): Promise<DatabaseAdapter> {
  const pg = await PGlite.create({
    ...(dataDir === 'memory' ? {} : { dataDir }),
    // Only matters for browser file systems today; stated so it never becomes true by default.
    relaxedDurability: false,
    parsers: { [types.INT8]: parseInt8 },
    // PostgreSQL's 128 MB of shared buffers live in PGlite's WebAssembly memory, which grows
    // to hold them and never shrinks: 16 MB keep this development database's working set
    // (-100 to -145 MB of server RSS under pnpm bench, same throughput).
    postgresqlconf: ['shared_buffers=16MB'],
  });

  // One connection: without this queue, a plain query sent while a transaction is open
  // would run inside that transaction and share its fate.
  const mutex = new Mutex();

  return {
    kind: 'pglite',

    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      assertNotInTransaction();
      return mutex.run(async () => (await pg.query<T>(sql, params)).rows);
    },

    async transaction<R>(fn: (tx: ScriptQueryable) => Promise<R>): Promise<R> {
      assertNotInTransaction();
      return mutex.run(() =>
        pg.transaction(async (raw) => {
          const { tx, end } = scopedHandle({
            query: async <T>(sql: string, params?: unknown[]) => (await raw.query<T>(sql, params)).rows,
            exec: async (sql: string) => {
              await raw.exec(sql);
            },
          });
          try {
            return await inTransactionScope(() => fn(tx));
          } finally {
            end();
          }
        }),
      );
    },

    async close(): Promise<void> {
      await mutex.run(() => pg.close());
    },
  };
}
