import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Queryable } from './database.js';

/** The transaction handle the adapters really hand out: migrations also run whole scripts. */
export interface ScriptQueryable extends Queryable {
  /** Runs several ;-separated statements, no parameters. */
  exec(sql: string): Promise<void>;
}

export interface DatabaseAdapter extends Database {
  transaction<R>(fn: (tx: ScriptQueryable) => Promise<R>): Promise<R>;
}

/** int8 → number, so both adapters return the same row shapes (ms timestamps, counts, serials). */
export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value ${value} does not fit a JavaScript number`);
  }
  return n;
}

interface Scope {
  open: boolean;
}

const transactionScope = new AsyncLocalStorage<Scope>();
/** Transactions running now, in this process. */
let openTransactions = 0;

/**
 * Runs fn marked as "inside a transaction". On PGlite a call to db.query/db.transaction
 * from there would wait for the transaction it is part of (a deadlock); on PostgreSQL it
 * would silently run outside it. Both are bugs, so both adapters refuse them.
 *
 * On Node 20 an enabled AsyncLocalStorage runs promise hooks on every promise of the process
 * (a tenth of the CPU of a cached contacts check), so it is enabled only while a transaction
 * runs: the scope only matters inside one, and outside any, getStore() has nothing to find.
 */
export async function inTransactionScope<R>(fn: () => Promise<R>): Promise<R> {
  const scope: Scope = { open: true };
  openTransactions++;
  try {
    return await transactionScope.run(scope, fn);
  } finally {
    // Work started inside the transaction may outlive it and is then free to use db.
    scope.open = false;
    if (--openTransactions === 0) transactionScope.disable();
  }
}

export function assertNotInTransaction(): void {
  if (transactionScope.getStore()?.open) {
    throw new Error('db.query/db.transaction called inside a transaction: use its tx argument');
  }
}

/** Wraps a transaction handle so it cannot be used once its transaction has ended. */
export function scopedHandle(handle: ScriptQueryable): { tx: ScriptQueryable; end(): void } {
  let ended = false;
  const check = (): void => {
    if (ended) throw new Error('transaction handle used after its transaction ended');
  };
  return {
    tx: {
      query: async <T>(sql: string, params?: unknown[]) => {
        check();
        return handle.query<T>(sql, params);
      },
      exec: async (sql: string) => {
        check();
        return handle.exec(sql);
      },
    },
    end: () => {
      ended = true;
    },
  };
}
