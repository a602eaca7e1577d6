import type { Queryable } from '../../../src/storage/database.js';

/** A node of PostgreSQL's JSON plan, with the fields the plan tests read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Heap Fetches'?: number;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

export interface Plan {
  /** Every node of the plan, the root first, depth first. */
  nodes: PlanNode[];
  /** The plan as JSON text, for what no node field names (an output column's type, say). */
  json: string;
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

/** Runs `EXPLAIN (options, FORMAT JSON)` of a statement; PGlite hands the plan back parsed, PostgreSQL as text. */
export async function explainPlan(
  db: Queryable,
  sql: string,
  params: unknown[],
  options: 'ANALYZE' | 'VERBOSE' = 'ANALYZE',
): Promise<Plan> {
  const [row] = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${options}, FORMAT JSON) ${sql}`, params);
  const raw = row!['QUERY PLAN'];
  const json = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const [{ Plan: root }] = JSON.parse(json) as [{ Plan: PlanNode }];
  return { nodes: flatten(root), json };
}

/** The rows each scan of a table produced, per loop (EXPLAIN ANALYZE). */
export const scannedRows = (plan: Plan, table: string): number[] =>
  plan.nodes.filter((n) => n['Relation Name'] === table).map((n) => n['Actual Rows']!);

/**
 * The last statement a repository function sends, captured from a fake Queryable that answers
 * `rows`, so a plan test explains the real query. `call` may call several functions in turn.
 */
export function capturedSql(call: (q: Queryable) => unknown, rows: unknown[] = []): string {
  let sql = '';
  const fake: Queryable = {
    query: async <T>(text: string) => {
      sql = text;
      return rows as T[];
    },
  } as Queryable;
  void call(fake);
  return sql;
}
