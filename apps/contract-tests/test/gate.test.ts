// The contract gate must be able to fail. One reference server, a proxy in front of it that
// breaks answers, and the real contract run (dredd/run.cts with CONTRACT_TARGET=<proxy>): it must
// pass when the proxy changes nothing, and fail on exactly the transactions that were broken,
// each for its reason. The three breakages touch a transaction each, so one run tries them all.
import { operationRoutes } from '@wa-contacts/server';
import { CONTRACT_SERVER_ENV } from '../dredd/server-env.cjs';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBreakingProxy, type BreakingProxy, type Breakage } from './support/dredd-proxy.js';
import { runContract } from './support/dredd-run.js';

const PASSWORD = 'Contract-Test-1!';
/** One Dredd transaction per operation × documented status of the spec. */
const TOTAL = Object.values(operationRoutes).reduce((n, route) => n + route.statuses.length, 0);
const RUN_TIMEOUT = 120_000;

const CHECK_200 = '/v1/contacts > Check phone numbers > 200 > application/json';
const BLOCKLIST_200 = '/v1/contacts/blocklist > List blocked contacts > 200 > application/json';
const IDENTITY_200 = "/v1/contacts/{wa_id}/identity > Get a user's identity hash > 200 > application/json";

let server: RunningServer;
let proxy: BreakingProxy;

beforeAll(async () => {
  server = await startReferenceServer({
    from: import.meta.url,
    env: { WA_ADMIN_PASSWORD: PASSWORD, ...CONTRACT_SERVER_ENV },
  });
  proxy = await startBreakingProxy(server.url);
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

async function runBrokenBy(name: string, breakage: Breakage | undefined) {
  proxy.setBreakage(breakage);
  const run = await runContract(proxy.url, { name, password: PASSWORD });
  return { ...run, broken: proxy.broken };
}

const isJson200 = (r: { status: number; contentType: string }) =>
  r.status === 200 && r.contentType.startsWith('application/json');

/** Three ways to break an answer, each on one transaction of its own; one contract run takes all three. */
const BREAKAGES = {
  // checkContacts: a value outside its enum.
  enum: (r) =>
    r.method === 'POST' && r.url === '/v1/contacts' && isJson200(r) && r.body.includes('"status":"valid"')
      ? { body: r.body.replaceAll('"status":"valid"', '"status":"unknown"') }
      : undefined,
  // getBlocklist: a required field missing.
  missingField: (r) => {
    if (r.method !== 'GET' || !r.url.startsWith('/v1/contacts/blocklist') || !isJson200(r)) return undefined;
    const body = JSON.parse(r.body) as { pagination?: Record<string, unknown> };
    delete body.pagination?.total;
    return { body: JSON.stringify(body) };
  },
  // getIdentity: a status the spec does not document.
  undocumentedStatus: (r) =>
    r.method === 'GET' && /^\/v1\/contacts\/[^/]+\/identity$/.test(r.url) && r.status === 200
      ? { status: 202 }
      : undefined,
} satisfies Record<string, Breakage>;

describe('the contract gate', () => {
  it(
    'passes when the proxy changes nothing',
    async () => {
      const run = await runBrokenBy('passthrough', undefined);
      expect(run.report.failures, run.output).toEqual({});
      expect(run.exitCode, run.output).toBe(0);
      expect(run.report).toMatchObject({ total: TOTAL, passed: TOTAL, failed: 0, skipped: 0 });
      expect(run.report.errors).toEqual([]);
      // Nothing is skipped: the 500s are provoked through the sandbox's fault injection.
      expect(run.report.skippedReasons).toEqual({});
      expect(run.output).toContain(
        `contract: ${TOTAL} transactions, ${TOTAL} ran: ${TOTAL} passed, 0 failed; 0 skipped`,
      );
    },
    RUN_TIMEOUT,
  );

  describe('fails on exactly the transactions broken, each for its reason', () => {
    const hits = { enum: 0, missingField: 0, undocumentedStatus: 0 };
    let run: Awaited<ReturnType<typeof runBrokenBy>>;
    beforeAll(async () => {
      run = await runBrokenBy('broken', (r) => {
        for (const name of Object.keys(BREAKAGES) as Array<keyof typeof BREAKAGES>) {
          const change = BREAKAGES[name](r);
          if (change) {
            hits[name]++;
            return change;
          }
        }
        return undefined;
      });
    }, RUN_TIMEOUT);

    it('exits 1 with those three failed and every other transaction passed', () => {
      expect(hits.enum).toBeGreaterThan(0);
      expect(hits.missingField).toBeGreaterThan(0);
      expect(hits.undocumentedStatus).toBeGreaterThan(0);
      expect(run.broken).toBe(hits.enum + hits.missingField + hits.undocumentedStatus);
      expect(run.exitCode, run.output).toBe(1);
      expect(Object.keys(run.report.failures).sort()).toEqual([BLOCKLIST_200, IDENTITY_200, CHECK_200].sort());
      expect(run.report).toMatchObject({ total: TOTAL, passed: TOTAL - 3, failed: 3, skipped: 0 });
    });

    it('a value outside its enum (checkContacts: status "unknown")', () => {
      // Dredd's own body check (Gavel with the bodySchema of the hooks) says it, not only the hooks.
      expect(run.report.failures[CHECK_200]).toMatch(/body: At '\/contacts\/\d+\/status' No enum match for: "unknown"/);
    });

    it('a missing required field (getBlocklist: no pagination.total)', () => {
      expect(run.report.failures[BLOCKLIST_200]).toMatch(
        /body: At '\/pagination\/total' Missing required property: total/,
      );
    });

    it('an undocumented status (getIdentity: 202 instead of 200)', () => {
      expect(run.report.failures[IDENTITY_200]).toMatch(/statusCode: Expected status code '200', but got '202'\./);
    });
  });
});
