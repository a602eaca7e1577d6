import type { Queryable } from '../database.js';

/** The tables a snapshot carries, row by row as GET /sandbox/snapshot shows them (spec/sandbox/snapshot.yaml). */
export interface SnapshotTables {
  accounts: Array<{
    wa_id: string;
    has_account: boolean;
    identity_hash: string | null;
    identity_created_at: number | null;
    identity_acknowledged: boolean;
    updated_at: number;
  }>;
  inbound_messages: Array<{ id: string; wa_id: string; body: string; received_at: number }>;
  /** In blocklist order. */
  blocks: Array<{ wa_id: string; reason: string | null; blocked_at: number }>;
  contact_checks: Array<{ wa_id: string; status: 'valid' | 'invalid'; checked_at: number }>;
  /** Oldest first. */
  reports: Array<{ wa_id: string; reason: string | null; block: boolean; reported_at: number; message_ids: string[] }>;
  misuse_counts: Array<{ day: number; checked: number; sent: number }>;
}

/** Each table's columns, in the order they are read and written. */
const TABLES = {
  accounts: {
    columns:
      'wa_id text, has_account boolean, identity_hash text, identity_created_at bigint, identity_acknowledged boolean, updated_at bigint',
    order: 'wa_id',
  },
  inbound_messages: { columns: 'id text, wa_id text, body text, received_at bigint', order: 'received_at, id' },
  blocks: { columns: 'wa_id text, reason text, blocked_at bigint', order: 'seq' },
  contact_checks: { columns: 'wa_id text, status text, checked_at bigint', order: 'wa_id' },
  reports: { columns: 'wa_id text, reason text, block boolean, reported_at bigint, message_ids text[]', order: 'id' },
  misuse_counts: {
    columns: 'day bigint, checked bigint, sent bigint',
    order: 'day',
    // A day's counts are in shards (migration 008): a snapshot has one row per day; a restore puts it in shard 0.
    from: '(SELECT day, sum(checked)::bigint AS checked, sum(sent)::bigint AS sent FROM misuse_counts GROUP BY day) AS days',
  },
} as const satisfies Record<keyof SnapshotTables, { columns: string; order: string; from?: string }>;

const names = (columns: string) => columns.split(', ').map((c) => c.split(' ')[0]);

export async function readSnapshotTables(q: Queryable): Promise<SnapshotTables> {
  const tables: Partial<Record<keyof SnapshotTables, unknown[]>> = {};
  for (const [table, spec] of Object.entries(TABLES)) {
    const from = 'from' in spec ? spec.from : table;
    tables[table as keyof SnapshotTables] = await q.query(
      `SELECT ${names(spec.columns).join(', ')} FROM ${from} ORDER BY ${spec.order}`,
    );
  }
  return tables as SnapshotTables;
}

/**
 * Empties the tables and fills them from `tables`, in their order (a block's place in the list
 * and a report's id follow it). In the caller's transaction: a restore is all or nothing.
 */
export async function replaceSnapshotTables(q: Queryable, tables: SnapshotTables): Promise<void> {
  await q.query(`TRUNCATE ${Object.keys(TABLES).join(', ')}, pending_checks RESTART IDENTITY`);
  for (const [table, { columns }] of Object.entries(TABLES)) {
    const rows = tables[table as keyof SnapshotTables];
    if (rows.length === 0) continue;
    const list = names(columns).join(', ');
    // One statement per table: the rows go in as one JSON array, in its order.
    await q.query(
      `INSERT INTO ${table} (${list})
       SELECT ${list} FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (${columns})) WITH ORDINALITY AS r(${list}, n) ORDER BY n`,
      [JSON.stringify(rows)],
    );
  }
}
