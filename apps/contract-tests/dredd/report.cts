// The contract run's report: one line per transaction, a summary line, and the JSON summary file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Dredd from 'dredd';
import { registry } from './registry.cjs';

export interface Outcome {
  status: 'pass' | 'fail' | 'skip';
  test: Dredd.Test;
  error?: Error;
}

/** What .tmp/dredd.json (CONTRACT_REPORT) holds; test/support/dredd-run.ts reads it. */
export interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  skippedReasons: Record<string, string>;
  failures: Record<string, string>;
  variants: number;
  notes: string[];
  errors: string[];
  durationMs?: number;
}

const clip = (text: string | undefined, n = 600) =>
  text && text.length > n ? `${text.slice(0, n)}… (${text.length} characters)` : (text ?? '');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Prints the report of `outcomes` and writes its summary to `reportFile`. */
export function report(
  outcomes: Map<string, Outcome>,
  errors: string[],
  { startedAt, reportFile }: { startedAt: number; reportFile: string },
): Summary {
  const summary: Summary = {
    total: registry.transactionNames.length,
    passed: 0,
    failed: 0,
    skipped: 0,
    skippedReasons: {},
    failures: {},
    variants: 0,
    notes: registry.notes,
    errors,
  };
  for (const name of registry.transactionNames) {
    const outcome = outcomes.get(name) ?? { status: 'fail', test: { title: name, message: 'never reported by Dredd' } };
    const variants = registry.variants[name]?.length ?? 0;
    summary.variants += variants;
    const title = outcome.test?.title ?? name;
    if (outcome.status === 'pass') {
      summary.passed++;
      console.log(`pass  ${title}${variants ? `  (+${plural(variants, 'variant')})` : ''}`);
    } else if (outcome.status === 'skip') {
      summary.skipped++;
      const reason = 'skipped by Dredd (no reason recorded)';
      summary.skippedReasons[name] = reason;
      console.log(`skip  ${title}  (${reason})`);
    } else {
      summary.failed++;
      const messages = [outcome.error?.message, outcome.test?.message, ...(registry.hookFailures[name] ?? [])];
      const lines = messages
        .flatMap((m) => (m ? m.split('\n') : []))
        .map((m) => m.trim().replace(/^Failed in (before|after) hook: /, ''));
      const unique = [...new Set(lines.filter(Boolean))];
      summary.failures[name] = unique.join('\n');
      console.log(`FAIL  ${title}\n      ${name}`);
      for (const line of unique) console.log(`      ${clip(line, 1000)}`);
      const actual = outcome.test?.actual;
      if (actual) console.log(`      actual: ${actual.statusCode} ${clip(actual.body)}`);
      const request = outcome.test?.request;
      if (actual && request?.body) console.log(`      request body: ${clip(request.body, 200)}`);
    }
  }
  summary.durationMs = Date.now() - startedAt;
  for (const note of registry.notes) console.log(`note  ${note}`);
  for (const error of errors) console.log(`ERROR ${error}`);
  const skips = summary.skipped ? ` (${summary.skipped} × skipped by Dredd)` : '';
  console.log(
    `\ncontract: ${summary.total} transactions, ${summary.passed + summary.failed} ran: ${summary.passed} passed, ${summary.failed} failed; ` +
      `${summary.skipped} skipped${skips}; ${summary.variants} extra variants checked` +
      `${errors.length ? `; ${plural(errors.length, 'error')} outside transactions` : ''} → ${path.relative(process.cwd(), reportFile)}`,
  );
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
