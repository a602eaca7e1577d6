import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, seedBulk } from '@wa-contacts/reference-server/storage';
import { BENCH_INPUTS_CONTEXT } from './cache-seed.js';
import { GROWTH_PREFIXES, growthScenarios, REPORT_CONTACTS } from './growth-scenarios.js';
import type { Measure } from './harness.js';
import { createDatabase } from './postgres.js';
import type { Row } from './report.js';
import { startReference, type Target } from './targets.js';

export interface GrowthOptions {
  sizes: readonly number[];
  /** Scenario ids to run (all when absent). */
  only?: readonly string[];
  /** PostgreSQL server to make a fresh database on per size; PGlite only when null. */
  postgresUrl: string | null;
  /** Prism, measured once per scenario (its answers do not depend on any state). */
  prism?: Target;
  /** Where the PGlite folders go. */
  scratch: string;
  /** `node --cpu-prof` for the seeded servers, profiles written here when they stop. */
  cpuProfDir?: string;
  measure: Measure;
  log: (line: string) => void;
  failures: string[];
}

export interface GrowthRow extends Row {
  /** Rows seeded per table. */
  size: number;
}

/**
 * Per size: a new database (PGlite folder, PostgreSQL database) seeded in bulk through the
 * reference server's storage layer, a server started on it, every growth scenario measured,
 * the server stopped and the database removed.
 */
export async function runGrowth(options: GrowthOptions): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  const pick = (size: number) => growthScenarios(size).filter((s) => !options.only || options.only.includes(s.id));
  if (pick(options.sizes[0] ?? 1).length === 0) return rows;
  for (const [n, size] of options.sizes.entries()) {
    for (const kind of ['pglite', 'postgres'] as const) {
      if (kind === 'postgres' && !options.postgresUrl) continue;
      let stop = async () => {};
      try {
        const t0 = performance.now();
        const target = await seededServer(kind, size, options, (fn) => {
          const previous = stop;
          stop = async () => {
            await fn();
            await previous();
          };
        });
        options.log(`growth set-up ${size} rows on ${kind}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        for (const scenario of pick(size)) {
          const participants = n === 0 && kind === 'pglite' && options.prism ? [target, options.prism] : [target];
          const measured = await options.measure(scenario, participants, options.log, options.failures);
          rows.push(...measured.map((r) => ({ ...r, size: r.target === 'prism' ? 0 : size })));
        }
      } catch (error) {
        options.failures.push(`growth ${size} on ${kind}: ${error instanceof Error ? error.message : error}`);
        options.log(`  FAILED: ${options.failures.at(-1)}`);
      } finally {
        await stop();
      }
    }
  }
  return rows;
}

async function seededServer(
  kind: 'pglite' | 'postgres',
  size: number,
  options: GrowthOptions,
  onStop: (fn: () => Promise<unknown>) => void,
): Promise<Target> {
  let storage: { dataDir: string } | { databaseUrl: string };
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(options.scratch, `growth-${size}-`));
    onStop(async () => rmSync(dataDir, { recursive: true, force: true }));
    storage = { dataDir };
  } else {
    const db = await createDatabase(options.postgresUrl!);
    onStop(() => db.drop());
    storage = { databaseUrl: db.url };
  }
  const db = await openDatabase(storage);
  try {
    const rows = { count: size };
    await seedBulk(db, {
      now: Date.now(),
      blocks: { prefix: GROWTH_PREFIXES.blocks, ...rows },
      // Each cached number also checked before as the bench sends it (formatInput(waId, i)), by a
      // server with the bench's business number (+1 631 555 0100: US).
      contactChecks: {
        prefix: GROWTH_PREFIXES.contactChecks,
        ...rows,
        inputsContext: BENCH_INPUTS_CONTEXT,
      },
      accounts: { prefix: GROWTH_PREFIXES.accounts, ...rows },
      inboundMessages: {
        prefix: GROWTH_PREFIXES.inboundMessages,
        contacts: REPORT_CONTACTS,
        perContact: Math.floor(size / REPORT_CONTACTS),
      },
    });
  } finally {
    await db.close();
  }
  // Measured warm: a check of a cached number answered from the index, not from the tables while it loads.
  const target = await startReference({ id: kind, ...storage, indexLoaded: true, cpuProfDir: options.cpuProfDir });
  onStop(() => target.server.stop());
  return target;
}
