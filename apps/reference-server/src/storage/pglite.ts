import { PGlite, types } from '@electric-sql/pglite';
import {
  assertNotInTransaction,
  inTransactionScope,
  parseInt8,
  scopedHandle,
  type DatabaseAdapter,
  type ScriptQueryable,
} from './adapter.js';
import { assertChannelName } from './channels.js';
import { Mutex } from './mutex.js';
import { PgliteStatements } from './pglite-statements.js';
import { vacuumDueTables } from './pglite-vacuum.js';

/**
 * PGlite in this process, on the folder dataDir (made when new).
 *
 * Durability: on Node, PGlite's NodeFS maps PostgreSQL's file writes to synchronous
 * fs.writeSync calls, and PostgreSQL writes the WAL of a commit before the commit
 * returns, so a resolved write is in the kernel and survives kill -9 of this process
 * (test/storage/durability.test.ts checks it). PGlite runs PostgreSQL with fsync off and
 * its Emscripten file system has no fsync, so an OS crash or power loss can still lose
 * recent commits: production data belongs on PostgreSQL.
 */
export const PGLITE_SETTINGS = {
  // PostgreSQL's 128 MB of shared buffers live in PGlite's WebAssembly memory, which grows
  // to hold them and never shrinks: 16 MB keep this development database's working set
  // (-100 to -145 MB of server RSS under pnpm bench, same throughput). At 1,000,000 rows
  // 32 and 64 MB left CPU per request unchanged for +19 and +60 MB (docs/performance.md).
  postgresqlconf: ['shared_buffers=16MB'],
  // WAL in 1 MB segments instead of 16: with the checkpoints below, a database keeps a few
  // MB of WAL, not 16 MB per segment. Only initdb can set it (existing data
  // directories keep theirs).
  initDbStartParams: ['--wal-segsize=1'],
};

/**
 * Set once in a database this server creates (postgresql.auto.conf, so it travels with the
 * template): a checkpoint keeps at most 8 MB of WAL segments for reuse, where PGlite's 64 MB
 * default would stay allocated after a burst. Not in postgresqlconf, which PGlite writes at
 * every start: a data directory made with 16 MB segments refuses min_wal_size = 2MB.
 */
export const FRESH_DATABASE_SETTINGS = [
  "ALTER SYSTEM SET min_wal_size = '2MB'",
  "ALTER SYSTEM SET max_wal_size = '8MB'",
];

/**
 * PGlite runs PostgreSQL as a single-user backend, which has no checkpointer process and
 * never checkpoints on its own: WAL then grows without end (by about 30 MB a second
 * under a force_check load). A checkpoint is taken once this much WAL was written.
 */
const CHECKPOINT_WAL_BYTES = 4 * 1024 * 1024;
// How often the checkpoint above and the vacuum of pglite-vacuum.ts are looked at.
const MAINTENANCE_POLL_MS = 1000;

export interface PgliteAdapter extends DatabaseAdapter {
  readonly kind: 'pglite';
}

export async function openPglite(dataDir: string): Promise<PgliteAdapter> {
  const pg = await PGlite.create({
    dataDir,
    // Only matters for browser file systems today; stated so it never becomes true by default.
    relaxedDurability: false,
    parsers: { [types.INT8]: parseInt8 },
    ...PGLITE_SETTINGS,
  });

  // One connection: without this queue, a plain query sent while a transaction is open
  // would run inside that transaction and share its fate.
  const mutex = new Mutex();
  const statements = new PgliteStatements(pg);

  const walPosition = async () =>
    Number((await pg.query<{ lsn: string }>("SELECT (pg_current_wal_insert_lsn() - '0/0')::text AS lsn")).rows[0]!.lsn);
  let checkpointedAt = await walPosition();
  const checkpointIfDue = () =>
    mutex.run(async () => {
      const position = await walPosition();
      if (position - checkpointedAt < CHECKPOINT_WAL_BYTES) return;
      await pg.exec('CHECKPOINT');
      checkpointedAt = position;
    });
  // Each statement queued on its own, so requests go on between a vacuum's tables.
  const queued = {
    query: <T>(sql: string) => mutex.run(async () => (await pg.query<T>(sql)).rows),
    exec: (sql: string) => mutex.run(async () => void (await pg.exec(sql))),
  };
  let maintaining = false;
  const maintenance = setInterval(() => {
    if (maintaining || pg.closed) return;
    maintaining = true;
    checkpointIfDue()
      .then(() => vacuumDueTables(queued))
      // Closing in between is the only expected failure; the next tick retries anything else.
      .catch(() => undefined)
      .finally(() => (maintaining = false));
  }, MAINTENANCE_POLL_MS);
  maintenance.unref();

  return {
    kind: 'pglite',

    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      assertNotInTransaction();
      return mutex.run(() =>
        statements.query<T>(sql, params, false, async (text, values) => (await pg.query<T>(text, values)).rows),
      );
    },

    async transaction<R>(fn: (tx: ScriptQueryable) => Promise<R>): Promise<R> {
      assertNotInTransaction();
      return mutex.run(() =>
        pg.transaction(async (raw) => {
          const { tx, end } = scopedHandle({
            query: <T>(sql: string, params?: unknown[]) =>
              statements.query<T>(sql, params, true, async (text, values) => (await raw.query<T>(text, values)).rows),
            exec: async (sql: string) => {
              await raw.exec(sql);
              // Scripts are migrations: DDL may change what a prepared statement returns.
              await statements.forgetAll((text) => raw.exec(text));
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

    // One process per folder (data-dir-lock.ts): the only listeners are this process's own.
    async listen(channel, onMessage) {
      assertChannelName(channel);
      assertNotInTransaction();
      const unlisten = await mutex.run(() => pg.listen(channel, onMessage));
      return () => mutex.run(async () => (pg.closed ? undefined : unlisten()));
    },

    async close(): Promise<void> {
      clearInterval(maintenance);
      await mutex.run(() => pg.close());
    },
  };
}
