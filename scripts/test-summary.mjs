#!/usr/bin/env node
// Adds up the vitest JSON reports that each package's `test` task leaves in .tmp/ (turbo
// restores them on a cache hit) and the contract run's report, and prints one closing line
// for the whole suite.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];

for (const group of ['packages', 'apps', 'examples']) {
  for (const name of readdirSync(join(root, group))) {
    // vitest-node24.json: the same suite under Node 24 (scripts/node24.mjs).
    for (const [file, label] of [
      ['vitest.json', `${group}/${name}`],
      ['vitest-node24.json', `${group}/${name} (Node 24)`],
    ]) {
      const report = join(root, group, name, '.tmp', file);
      if (!existsSync(report)) continue;
      const r = JSON.parse(readFileSync(report, 'utf8'));
      const skipped = r.numPendingTests + r.numTodoTests;
      totals.passed += r.numPassedTests;
      totals.failed += r.numFailedTests;
      totals.skipped += skipped;
      rows.push(
        `  ${label.padEnd(38)} ${String(r.numPassedTests).padStart(5)} passed ${String(r.numFailedTests).padStart(3)} failed ${String(skipped).padStart(3)} skipped`,
      );
    }
  }
}

// The contract run (Dredd) counts its transactions the same way.
const dredd = join(root, 'apps', 'contract-tests', '.tmp', 'dredd.json');
if (existsSync(dredd)) {
  const d = JSON.parse(readFileSync(dredd, 'utf8'));
  totals.passed += d.passed;
  totals.failed += d.failed;
  totals.skipped += d.skipped;
  rows.push(
    `  ${'dredd transactions'.padEnd(38)} ${String(d.passed).padStart(5)} passed ${String(d.failed).padStart(3)} failed ${String(d.skipped).padStart(3)} skipped`,
  );
}

console.log(['', 'Test summary', ...rows].join('\n'));
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (rows.length === 0 || totals.failed > 0) process.exit(1);
