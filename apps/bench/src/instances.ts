import type { Request } from 'autocannon';
import { openDatabase } from '@wa-contacts/reference-server/storage';
import { formatInput } from './numbers.js';
import { runLoad, summarize } from './load.js';
import { createDatabase } from './postgres.js';
import { startReference, type Target } from './targets.js';
import { cpuTimeMs } from './processes.js';

/** One configuration of the several-instances run: n servers on one PostgreSQL database. */
export interface InstancesRow {
  instances: number;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU (all instances) per request, µs. */
  cpuUsPerRequest: number | null;
  /** Numbers force-checked in requests answered 2xx. */
  acknowledged: number;
  /** Rows of those numbers in contact_checks afterwards. */
  stored: number;
  /** Numbers counted by Meta's misuse rule (misuse_counts.checked) afterwards. */
  counted: number;
  /** Nothing acknowledged is missing, and every stored number was counted exactly once. */
  consistent: boolean;
}

const PER_REQUEST = 10;
/** 1 + area code of the numbers force-checked here, row i = PREFIX + (2000000 + i). */
const PREFIX = '1516';

/**
 * n = 1, 2, 3 reference servers on one fresh PostgreSQL database each time; the load
 * generator spreads `connections` over them (autocannon per server, at once), every request a
 * force_check of 10 numbers never sent before. Afterwards the database must hold every
 * number acknowledged, and the misuse count must equal the rows (nothing applied twice).
 */
export async function runInstances(options: {
  postgresUrl: string;
  counts: readonly number[];
  connections: number;
  durationS: number;
  log: (line: string) => void;
  failures: string[];
}): Promise<InstancesRow[]> {
  const rows: InstancesRow[] = [];
  for (const n of options.counts) {
    const db = await createDatabase(options.postgresUrl);
    const servers: Target[] = [];
    try {
      for (let s = 0; s < n; s++) servers.push(await startReference({ id: 'postgres', databaseUrl: db.url }));
      const perServer = Math.max(1, Math.round(options.connections / n));
      const cpuBefore = servers.map((t) => cpuTimeMs(t.server.pid));
      const rounds = await Promise.all(
        servers.map((t, s) =>
          runLoad(t.server.url, uniqueChecks(t, s), { connections: perServer, durationS: options.durationS }),
        ),
      );
      const cpuAfter = servers.map((t) => cpuTimeMs(t.server.pid));
      const m = summarize(rounds, 'load');
      const rps = rounds.reduce((sum, r) => sum + (r.durationS > 0 ? r.requests / r.durationS : 0), 0);
      const ok = rounds.reduce((sum, r) => sum + r.requests - r.non2xx, 0);
      const cpuMs =
        cpuBefore.every((c) => c !== null) && cpuAfter.every((c) => c !== null)
          ? cpuAfter.reduce((a, c, i) => a + c! - cpuBefore[i]!, 0)
          : null;
      // Stop the servers first: a request cut off by the end of the load has finished or rolled back.
      await Promise.all(servers.splice(0).map((t) => t.server.stop()));
      const { stored, counted } = await tally(db.url);
      const acknowledged = ok * PER_REQUEST;
      const row: InstancesRow = {
        instances: n,
        connections: perServer * n,
        rps,
        p50: m.p50,
        p99: m.p99,
        errors: m.errors,
        cpuUsPerRequest: cpuMs === null || m.requests === 0 ? null : (cpuMs * 1000) / m.requests,
        acknowledged,
        stored,
        counted,
        consistent: stored >= acknowledged && counted === stored,
      };
      rows.push(row);
      options.log(
        `instances ${n}: ${rps.toFixed(0)} req/s  p99 ${m.p99.toFixed(1)} ms  errors ${m.errors}  acknowledged ${acknowledged} stored ${stored} counted ${counted}`,
      );
      if (!row.consistent)
        options.failures.push(`instances ${n}: lost or double-applied checks (${JSON.stringify(row)})`);
    } catch (error) {
      options.failures.push(`instances ${n}: ${error instanceof Error ? error.message : error}`);
    } finally {
      await Promise.all(servers.map((t) => t.server.stop()));
      await db.drop();
    }
  }
  return rows;
}

/** Server s sends numbers from its own million, in turn: no number is checked twice. */
function uniqueChecks(t: Target, s: number): Request[] {
  let k = 0;
  const body = () =>
    JSON.stringify({
      blocking: 'wait',
      force_check: true,
      contacts: Array.from({ length: PER_REQUEST }, (_, j) =>
        formatInput(`${PREFIX}${2_000_000 + s * 1_000_000 + k * PER_REQUEST + j}`, j),
      ),
    });
  return [
    {
      method: 'POST',
      path: '/v1/contacts',
      headers: { 'content-type': 'application/json', ...t.auth },
      setupRequest: (req) => {
        const b = body();
        k++;
        return { ...req, body: b };
      },
    },
  ];
}

async function tally(databaseUrl: string): Promise<{ stored: number; counted: number }> {
  const db = await openDatabase({ databaseUrl });
  try {
    const [stored] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contact_checks WHERE wa_id LIKE '${PREFIX}%'`,
    );
    const [counted] = await db.query<{ n: number }>('SELECT coalesce(sum(checked), 0)::int AS n FROM misuse_counts');
    return { stored: stored!.n, counted: counted!.n };
  } finally {
    await db.close();
  }
}
