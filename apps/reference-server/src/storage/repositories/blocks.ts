import type { Queryable } from '../database.js';
import { GENERIC_PLAN } from '../generic-plan.js';

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

// Up to 16 rows per 32,768 blocked (migrations 010, 011, 015), where the buckets are 1,024.
const TOTAL_SQL = 'SELECT coalesce(sum(n), 0)::bigint FROM blocks_totals';
const TOTAL = `(${TOTAL_SQL}) AS total`;
// The page's wa_ids as one JSON text (json-rows.ts says why one text): the API shows nothing else
// of a block, and a row of three fields built per entry cost as much as the rest of a first page.
const PAGE = `(SELECT coalesce(json_agg(wa_id ORDER BY seq), '[]')::text FROM page) AS page`;

// The first page (most reads) needs no search: half the CPU on PGlite.
const FIRST_PAGE = `${GENERIC_PLAN}WITH page AS (SELECT wa_id, seq FROM blocks ORDER BY seq LIMIT $1)
  SELECT ${TOTAL}, ${PAGE}`;

/**
 * The CTEs `part`, then `start` (its bucket), that hold the row `target` rows from one end of the
 * list: `before` it counted from the start (ASC), or `after` it from the end (DESC). Each running
 * sum stops at the first row that reaches the target (LIMIT 1): within a part, after 32 rows at
 * most. Each part's and bucket's count is first summed from its rows (up to 16, migration 015).
 */
const findBucket = (order: 'ASC' | 'DESC', counted: 'before' | 'after', target: string): string => `part_sums AS (
    SELECT part, sum(n)::integer AS n FROM blocks_totals GROUP BY part
  ), parts AS (
    SELECT part, n, sum(n) OVER (ORDER BY part ${order}) - n AS ${counted} FROM part_sums WHERE n > 0
  ), part AS (
    SELECT part, ${counted} FROM parts WHERE ${counted} + n > ${target} ORDER BY part ${order} LIMIT 1
  ), bucket_sums AS (
    SELECT bucket, sum(n)::integer AS n FROM blocks_buckets
    WHERE bucket >= (SELECT part << 5 FROM part) AND bucket < (SELECT (part + 1) << 5 FROM part) GROUP BY bucket
  ), buckets AS (
    SELECT bucket, n, (SELECT ${counted} FROM part) + sum(n) OVER (ORDER BY bucket ${order}) - n AS ${counted}
    FROM bucket_sums WHERE n > 0
  ), start AS (
    SELECT bucket, ${counted} FROM buckets WHERE ${counted} + n > ${target} ORDER BY bucket ${order} LIMIT 1
  )`;

// Part first, then bucket within it; the page skips fewer than 1,024 rows.
const PAGE_AT_OFFSET = `${GENERIC_PLAN}WITH ${findBucket('ASC', 'before', '$2')}, page AS (
    SELECT wa_id, seq FROM blocks WHERE seq >= (SELECT bucket << 10 FROM start)
    ORDER BY seq LIMIT $1 OFFSET (SELECT $2 - before FROM start)
  )
  SELECT ${TOTAL}, ${PAGE}`;

// The same search from the end of the list, counting the rows after the page, which is then read
// backwards from the end of its bucket: a page near the end skips only the rows after it there.
const PAGE_FROM_END = `${GENERIC_PLAN}WITH total (t) AS (${TOTAL_SQL}),
  tail (after, size) AS (
    SELECT greatest(t - $2 - $1, 0), greatest(least($1, t - $2), 0) FROM total
  ), ${findBucket('DESC', 'after', '(SELECT after FROM tail)')}, page AS (
    SELECT wa_id, seq FROM blocks WHERE seq < (SELECT (bucket + 1) << 10 FROM start)
    ORDER BY seq DESC LIMIT (SELECT size FROM tail) OFFSET (SELECT (SELECT after FROM tail) - after FROM start)
  )
  SELECT (SELECT t FROM total) AS total, ${PAGE}`;

// A page that reaches the end of the list (a pager's last) is its tail read backwards: no
// search, as cheap as a first page. Chosen from the last total seen; when the list has grown past
// the page since, the answer shows it and the page is read again with a search.
const TAIL_PAGE = `${GENERIC_PLAN}WITH total (t) AS (${TOTAL_SQL}), page AS (
    SELECT wa_id, seq FROM blocks
    ORDER BY seq DESC LIMIT (SELECT greatest(least($1, t - $2), 0) FROM total)
  )
  SELECT (SELECT t FROM total) AS total, ${PAGE}`;

/** The total of the last page read by this process: only picks the direction, never the answer. */
let lastTotal = 0;

/**
 * The wa_ids of one page of the blocklist, in blocking order, and the total, both from ONE
 * statement, so from one snapshot: with two, a block committed in between made a page disagree
 * with its total on PostgreSQL. The total comes from blocks_totals (a count per 32 buckets,
 * migrations 010 and 011). A page that reaches the end of the list is read backwards from it; another starts from
 * blocks_buckets (a count per 1,024 seq values, migration 006): its part, then its bucket, found
 * from the nearer end of the list, and fewer than 1,024 rows skipped. One row comes back, the
 * total and the page's entries (none past the end).
 */
export async function blocklistPage(
  q: Queryable,
  page: { limit: number; offset: number },
): Promise<{ waIds: string[]; total: number }> {
  const { limit, offset } = page;
  let row = await pageRow(q, limit, offset, lastTotal);
  // The list grew past the page read as its tail: read it again, now knowing the total.
  if (row.tail && row.total - offset > limit) row = await pageRow(q, limit, offset, row.total);
  lastTotal = row.total;
  return { waIds: JSON.parse(row.page) as string[], total: row.total };
}

/** The page's row from the statement that suits a list of about `total` entries. */
async function pageRow(
  q: Queryable,
  limit: number,
  offset: number,
  total: number,
): Promise<{ total: number; page: string; tail: boolean }> {
  if (offset === 0) {
    const [row] = await q.query<{ total: number; page: string }>(FIRST_PAGE, [limit]);
    return { ...row!, tail: false };
  }
  const tail = offset + limit >= total;
  const sql = tail ? TAIL_PAGE : offset > total / 2 ? PAGE_FROM_END : PAGE_AT_OFFSET;
  const [row] = await q.query<{ total: number; page: string }>(sql, [limit, offset]);
  return { ...row!, tail };
}

export async function isBlocked(q: Queryable, waId: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM blocks WHERE wa_id = $1', [waId]);
  return rows.length > 0;
}
