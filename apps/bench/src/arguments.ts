/**
 * A bin script's command-line argument `index` (0 for the first after the script's name): a
 * whole number of at least `min`, or `fallback` when it is not given.
 */
export function wholeArgument(index: number, name: string, fallback: number, min: number): number {
  const given = process.argv[2 + index];
  const n = Number(given ?? fallback);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name}: a whole number of ${min} or more, got ${given}`);
  return n;
}
