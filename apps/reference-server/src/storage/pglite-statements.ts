import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import { GENERIC_PLAN } from './generic-plan.js';
import { FrontendMessages } from './pglite-messages.js';

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];

// The server's SQL texts are constants, about a hundred; past this many, a text runs unprepared.
const MAX_STATEMENTS = 512;

interface Prepared {
  name: string;
  paramTypes: readonly number[];
  /** What Describe said of the rows; none for a statement without rows. */
  rowDescription: BackendMessage | undefined;
}

const { serialize } = protocol;

const FORCE_GENERIC = 'SET plan_cache_mode = force_generic_plan';
const RESET_PLAN_MODE = 'RESET plan_cache_mode';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Each SQL text parsed and described once, as a named statement of PGlite's one backend,
 * then run with one Bind/Execute/Sync. PGlite's query() parses, describes and plans every
 * call in five trips into WebAssembly: an indexed read took 170 µs that way, 48 µs here.
 * Rows come out typed by PGlite's own parsers and parameters go in through its serializers,
 * as query() does. The caller runs one statement at a time (the adapter's mutex).
 */
export class PgliteStatements {
  readonly #prepared = new Map<string, Prepared>();
  readonly #messages = new FrontendMessages();

  constructor(private readonly pg: PGlite) {}

  async query<T>(
    sql: string,
    params: readonly unknown[] | undefined,
    inTransaction: boolean,
    unprepared: (sql: string, params?: unknown[]) => Promise<T[]>,
  ): Promise<T[]> {
    let prepared = this.#prepared.get(sql);
    if (prepared === undefined) {
      if (this.#prepared.size >= MAX_STATEMENTS) return unprepared(sql, params as unknown[] | undefined);
      prepared = await this.#prepare(sql);
    }
    const values = (params ?? []).map((value, i) => this.#serialize(value, prepared.paramTypes[i]));
    if (!sql.startsWith(GENERIC_PLAN)) {
      const messages = await this.pg.execProtocolStream(this.#messages.bindExecute(prepared.name, values).sync(), {
        syncToFs: !inTransaction,
      });
      return this.#rows<T>(prepared, messages);
    }
    // In the same trip: the mode for this statement only. If it fails, its implicit or explicit
    // transaction aborts, and with it the SET.
    const [force, reset] = [await this.#statement(FORCE_GENERIC), await this.#statement(RESET_PLAN_MODE)];
    const messages = await this.pg.execProtocolStream(
      this.#messages.bindExecute(force.name, []).bindExecute(prepared.name, values).bindExecute(reset.name, []).sync(),
      { syncToFs: !inTransaction },
    );
    // The statement's messages sit between the SET's commandComplete and its own.
    const first = messages.findIndex((m) => m.name === 'commandComplete');
    const own = messages.findIndex((m, i) => i > first && m.name === 'commandComplete');
    return this.#rows<T>(prepared, messages.slice(first + 1, own + 1));
  }

  #rows<T>(prepared: Prepared, messages: BackendMessage[]): T[] {
    const described = prepared.rowDescription ? [prepared.rowDescription, ...messages] : messages;
    return parse.parseResults(described, this.pg.parsers)[0]!.rows as T[];
  }

  async #statement(sql: string): Promise<Prepared> {
    return this.#prepared.get(sql) ?? (await this.#prepare(sql));
  }

  /** Forgets every statement: after DDL, a statement's rows could change shape. */
  async forgetAll(exec: (sql: string) => Promise<unknown>): Promise<void> {
    if (this.#prepared.size === 0) return;
    this.#prepared.clear();
    await exec('DEALLOCATE ALL');
  }

  async #prepare(sql: string): Promise<Prepared> {
    const name = `s${this.#prepared.size}`;
    const messages = await this.pg.execProtocolStream(
      concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const prepared: Prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((m) => m.name === 'rowDescription'),
    };
    this.#prepared.set(sql, prepared);
    return prepared;
  }

  #serialize(value: unknown, oid: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = oid === undefined ? undefined : this.pg.serializers[oid];
    return serializer ? (serializer(value) as string) : String(value);
  }
}
