import type { Queryable } from '../database.js';
import { GENERIC_PLAN } from '../generic-plan.js';
import { jsonRows, parseJsonRows } from '../json-rows.js';

export interface Block {
  waId: string;
  reason: string | null;
  blockedAt: number;
}

/** False when already blocked: the first block, its reason and its place in the list stay. */
export async function blockContact(q: Queryable, block: Block): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO blocks (wa_id, reason, blocked_at) VALUES ($1, $2, $3)
     ON CONFLICT (wa_id) DO NOTHING RETURNING wa_id`,
    [block.waId, block.reason, block.blockedAt],
  );
  return rows.length > 0;
}

/**
 * Blocks a contact that wrote after engagedSince, in one statement (PGlite's cost is per
 * statement: a transaction of a read and a write took four). False when it did not write since:
 * nothing is blocked then. A contact already blocked keeps its first block.
 */
export async function blockEngaged(q: Queryable, block: Block, engagedSince: number): Promise<boolean> {
  const [row] = await q.query<{ engaged: boolean }>(
    `WITH engaged AS (
       SELECT EXISTS (SELECT 1 FROM inbound_messages WHERE wa_id = $1 AND received_at > $4) AS engaged
     ), blocked AS (
       INSERT INTO blocks (wa_id, reason, blocked_at) SELECT $1, $2, $3 FROM engaged WHERE engaged
       ON CONFLICT (wa_id) DO NOTHING
     )
     SELECT engaged FROM engaged`,
    [block.waId, block.reason, block.blockedAt, engagedSince],
  );
  return row!.engaged;
}

/** False when it was not blocked. */
export async function unblockContact(q: Queryable, waId: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM blocks WHERE wa_id = $1 RETURNING wa_id', [waId]);
  return rows.length > 0;
}

// One row per million blocked (migration 010), where the buckets are a thousand.
const TOTAL_SQL = 'SELECT coalesce(sum(n), 0)::bigint FROM blocks_totals';
const TOTAL = `(${TOTAL_SQL}) AS total`;
const PAGE = `(SELECT ${jsonRows('wa_id, reason, blocked_at', 'seq')} FROM page) AS page`;

// The first page (most reads) needs no bucket search: half the CPU on PGlite.
const FIRST_PAGE = `${GENERIC_PLAN}WITH page AS (SELECT wa_id, reason, blocked_at, seq FROM blocks ORDER BY seq LIMIT $1)
  SELECT ${TOTAL}, ${PAGE}`;

const PAGE_AT_OFFSET = `${GENERIC_PLAN}WITH buckets AS (
    SELECT bucket, n, sum(n) OVER (ORDER BY bucket) - n AS before FROM blocks_buckets WHERE n > 0
  ), start AS (
    SELECT bucket, before FROM buckets WHERE before + n > $2 ORDER BY bucket LIMIT 1
  ), page AS (
    SELECT wa_id, reason, blocked_at, seq FROM blocks WHERE seq >= (SELECT bucket << 10 FROM start)
    ORDER BY seq LIMIT $1 OFFSET (SELECT $2 - before FROM start)
  )
  SELECT ${TOTAL}, ${PAGE}`;

// The same page found from the last bucket back: a page past the middle of the list sums only
// the buckets after it (the running sum stops at the first that fits, under LIMIT 1).
const PAGE_FROM_END = `${GENERIC_PLAN}WITH total (t) AS (${TOTAL_SQL}),
  buckets AS (
    SELECT bucket, (SELECT t FROM total) - sum(n) OVER (ORDER BY bucket DESC) AS before
    FROM blocks_buckets WHERE n > 0
  ), start AS (
    SELECT bucket, before FROM buckets WHERE before <= $2 ORDER BY bucket DESC LIMIT 1
  ), page AS (
    SELECT wa_id, reason, blocked_at, seq FROM blocks WHERE seq >= (SELECT bucket << 10 FROM start)
    ORDER BY seq LIMIT $1 OFFSET (SELECT $2 - before FROM start)
  )
  SELECT (SELECT t FROM total) AS total, ${PAGE}`;

/** The total of the last page read by this process: only picks the direction, never the answer. */
let lastTotal = 0;

/**
 * One page of the blocklist, in blocking order, and the total in ONE statement, so both come
 * from one snapshot: with two, a block committed in between made a page disagree with its total
 * on PostgreSQL. The total comes from blocks_totals (migration 010), the page's start from
 * blocks_buckets (migration 006): the
 * page is read from the first bucket that reaches the offset, skipping fewer than 1,024 rows,
 * found from the nearer end of the list. One row comes back, the total and the page's entries
 * (none past the end).
 */
export async function blocklistPage(
  q: Queryable,
  page: { limit: number; offset: number },
): Promise<{ blocks: Block[]; total: number }> {
  const sql = page.offset === 0 ? FIRST_PAGE : page.offset > lastTotal / 2 ? PAGE_FROM_END : PAGE_AT_OFFSET;
  const [row] = await q.query<{ total: number; page: string }>(
    sql,
    page.offset === 0 ? [page.limit] : [page.limit, page.offset],
  );
  lastTotal = row!.total;
  const blocks = parseJsonRows<[string, string | null, number]>(row!.page).map(
    ([waId, reason, blockedAt]): Block => ({ waId, reason, blockedAt }),
  );
  return { blocks, total: row!.total };
}

export async function isBlocked(q: Queryable, waId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM blocks WHERE wa_id = $1', [waId]);
  return rows.length > 0;
}
