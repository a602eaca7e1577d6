// What the release did, filled step by step by the runner, and printed at the end (also after a failure).
import type { TarballSummary } from './steps/check-registry.js';
import { topList } from './steps/check-registry.js';

export interface Summary {
  gate?: string;
  /** name → `before → after`. */
  versions: Record<string, string>;
  tarballs: Record<string, TarballSummary>;
  /** What the consumer's sample printed. */
  consumer?: string;
  /** [what, seconds] in the order they ran. */
  timings: [string, string][];
}

export function printSummary(summary: Summary, elapsed: string, passed: boolean): void {
  console.log(`\n── release:verdaccio summary (${elapsed}) ${'─'.repeat(40)}`);
  if (summary.gate) console.log(`gate:      ${summary.gate}`);
  for (const [name, versions] of Object.entries(summary.versions)) {
    const t = summary.tarballs[name]!;
    console.log(
      `published: ${name.padEnd(30)} ${versions.padEnd(16)} ${String(t.files).padStart(3)} files: ${topList(t.top)}`,
    );
  }
  if (summary.consumer) console.log(`consumer:  ${summary.consumer.split('\n').join('\n           ')}`);
  console.log(`timings:   ${summary.timings.map(([what, time]) => `${what} ${time}`).join(' · ')}`);
  console.log(passed ? `✓ release:verdaccio passed in ${elapsed}` : `✗ release:verdaccio failed after ${elapsed}`);
}
