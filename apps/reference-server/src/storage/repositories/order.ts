/**
 * The one order every multi-row write takes its rows in (wa_ids are ASCII digits, so this is
 * also the database's ORDER BY wa_id).
 */
export function compareWaIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedWaIds(waIds: Iterable<string>): string[] {
  return [...waIds].sort(compareWaIds);
}
