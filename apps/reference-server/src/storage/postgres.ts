import pg from 'pg';
import {
  assertNotInTransaction,
  inTransactionScope,
  parseInt8,
  scopedHandle,
  type DatabaseAdapter,
  type ScriptQueryable,
} from './adapter.js';
import { PostgresListener } from './postgres-listener.js';
import { withRetries, type OnRetry } from './retry.js';

const INT8_OID = 20;
// The server's SQL texts are constants, about a hundred; past this many, a text runs unnamed.
const MAX_NAMED = 512;

export interface PostgresOptions {
  onPoolError?: ((error: Error) => void) | undefined;
  /** Called before each retry of a transaction or query aborted by 40001/40P01 (see retry.ts). */
  onRetry?: OnRetry | undefined;
}

/**
 * PostgreSQL through a pg Pool. Durability is the server's: a commit returns once its
 * WAL is flushed (synchronous_commit and fsync at their defaults).
 */
export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<DatabaseAdapter> {
  const pool = new pg.Pool({
    connectionString,
    // Per pool rather than pg.types.setTypeParser, which would change every pg user in the process.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that dies (server restart, network) must not crash the process;
  // the pool drops it and the next query gets a fresh one.
  pool.on('error', (error) => options.onPoolError?.(error));

  // Fail now on a wrong URL or credentials rather than on the first request.
  const probe = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  probe.release();
  const listener = new PostgresListener({ connectionString }, (error) => options.onPoolError?.(error));

  // A text with parameters runs as a named statement, which pg parses once per connection and
  // PostgreSQL plans once: an indexed read took 200 µs unnamed, 115 µs named.
  const names = new Map<string, string>();
  // Bumped by a script (a migration, whose DDL may change a statement's rows): new names are parsed anew.
  let generation = 0;
  const statement = (text: string, values?: unknown[]): pg.QueryConfig => {
    if (!values?.length) return { text, values }; // unnamed, pg's simple protocol: scripts, and nothing to plan twice
    let name = names.get(text);
    if (name === undefined) {
      if (names.size >= MAX_NAMED) return { text, values };
      name = `q${generation}_${names.size}`;
      names.set(text, name);
    }
    return { name, text, values };
  };
  const run = async <T>(on: pg.Pool | pg.PoolClient, text: string, values?: unknown[]): Promise<T[]> => {
    return (await on.query(statement(text, values))).rows as T[];
  };

  return {
    kind: 'postgres',

    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      assertNotInTransaction();
      return withRetries(() => run<T>(pool, sql, params), options.onRetry);
    },

    /** Runs fn again, from BEGIN, when PostgreSQL aborts it with a deadlock or serialization failure. */
    async transaction<R>(fn: (tx: ScriptQueryable) => Promise<R>): Promise<R> {
      assertNotInTransaction();
      return withRetries(() => attempt(fn), options.onRetry);
    },

    listen: (channel, onMessage) => listener.listen(channel, onMessage),

    async close(): Promise<void> {
      await listener.close();
      await pool.end();
    },
  };

  async function attempt<R>(fn: (tx: ScriptQueryable) => Promise<R>): Promise<R> {
    const client = await pool.connect();
    const { tx, end } = scopedHandle({
      query: <T>(sql: string, params?: unknown[]) => run<T>(client, sql, params),
      exec: async (sql: string) => {
        // Without parameters pg uses the simple protocol, which accepts several statements.
        await client.query(sql);
        names.clear();
        generation++;
      },
    });
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await inTransactionScope(() => fn(tx));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      end();
      // A client whose ROLLBACK failed may still hold a transaction: destroy it.
      client.release(broken);
    }
  }
}
