import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyRequest, type FuzzRequest } from '../fuzz/arbitraries.js';
import { FuzzTarget, type FuzzResponse, type SentRequest } from '../fuzz/harness.js';
import { Oracle, type Conformance } from '../fuzz/oracle.js';
import { OPERATIONS, checkAgainstServerRoutes } from '../fuzz/spec.js';
import { FuzzStats } from '../fuzz/stats.js';

/**
 * Spec-driven fuzzing of the reference server: requests generated from both specs (valid and
 * broken, every operation, the sandbox included) sent in process, each response judged by the
 * oracle. FUZZ_SEED replays a run; FUZZ_RUNS raises the count (2,000 by default).
 */

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);
// FUZZ_SURVEY=1: do not stop at the first failure; list every kind of problem met, with one example each.
const survey = Boolean(process.env.FUZZ_SURVEY);
const numRuns = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : 2000;
if (!Number.isSafeInteger(numRuns) || numRuns < 1)
  throw new Error(`FUZZ_RUNS must be a positive integer, got ${process.env.FUZZ_RUNS}`);

/**
 * Operations whose spec documents no refusal of a conforming request (only validation
 * errors, 401, 413 and 500): a conforming request within the body limit must succeed.
 * The others may refuse one by a rule of the node (2048 not engaged, 1009 an unusable phone
 * number or a stale hash, 404 no such account, 1028/1013 on a send, an unknown operation for
 * a fault, a clock advance past year 9999).
 */
const SUCCEED_WHEN_CONFORMING = new Set([
  'login',
  'checkContacts',
  'getBlocklist',
  'getApplicationSettings',
  'health',
  'updateApplicationSettings',
  'registerAccount',
  'deleteAccount',
  'listReports',
]);

const getOp = (id: string) => OPERATIONS.find((o) => o.operationId === id)!;

/** Checks that follow from the operations' descriptions, beyond their schemas. */
function expectations(
  req: FuzzRequest,
  sent: SentRequest,
  res: FuzzResponse,
  conformance: Conformance,
  faultArmed: boolean,
): string[] {
  const problems: string[] = [];
  if (!conformance.conforming || conformance.oversized || faultArmed) return problems;
  if (SUCCEED_WHEN_CONFORMING.has(req.operationId) && (res.status < 200 || res.status >= 300)) {
    problems.push(`a conforming ${req.operationId} was answered ${res.status}, not 2xx`);
  }
  if (req.operationId === 'checkContacts' && res.status === 200) {
    // "One entry per input, in the order sent, input echoing the value exactly as sent."
    const inputs = (JSON.parse(sent.body!) as { contacts: string[] }).contacts;
    const entries = (res.json as { contacts: Array<{ input: string }> }).contacts;
    if (entries.length !== inputs.length)
      problems.push(`${inputs.length} numbers sent, ${entries.length} entries answered`);
    else {
      const i = inputs.findIndex((input, n) => entries[n]!.input !== input);
      if (i >= 0)
        problems.push(`entry ${i} echoes ${JSON.stringify(entries[i]!.input)}, sent ${JSON.stringify(inputs[i])}`);
    }
  }
  if (req.operationId === 'getBlocklist' && res.status === 200) {
    // The page is the one asked for, the spec's defaults filling what was not.
    const body = res.json as { contacts: unknown[]; pagination: { limit: number; offset: number; total: number } };
    for (const p of getOp('getBlocklist').parameters.filter((x) => x.in === 'query')) {
      const sentValue = req.query.find(([k]) => k === p.name)?.[1];
      const expected = sentValue === undefined ? (p.schema.value as { default?: number }).default : Number(sentValue);
      const got = body.pagination[p.name as 'limit' | 'offset'];
      if (got !== expected) problems.push(`pagination.${p.name} is ${got}, asked ${expected}`);
    }
    if (body.contacts.length > body.pagination.limit)
      problems.push(`${body.contacts.length} contacts on a page of ${body.pagination.limit}`);
  }
  return problems;
}

describe('spec-driven fuzzing of the reference server', () => {
  let target: FuzzTarget;
  const oracle = new Oracle();
  const stats = new FuzzStats();

  beforeAll(async () => {
    target = await FuzzTarget.start();
  }, 60_000);

  afterAll(async () => {
    await target?.close();
  });

  it('reads the operations the server is generated from', () => {
    expect(checkAgainstServerRoutes()).toEqual([]);
    expect(oracle.compiledResponses).toBeGreaterThan(50);
    expect(target.contacts.length).toBeGreaterThan(0);
  });

  it(
    `${numRuns} generated requests keep the spec (seed ${seed})`,
    async () => {
      let shrinking = false;
      const surveyed = new Map<string, { count: number; example: string }>();
      const property = fc.asyncProperty(anyRequest(), async (req) => {
        const { sent, response, faultArmed } = await target.send(req);
        const conformance = oracle.conformance(req, sent);
        const problems = [
          ...oracle.check(req, sent, response, conformance, faultArmed),
          ...expectations(req, sent, response, conformance, faultArmed),
        ];
        // A valid request that does not conform is a bug of the generators, not of the server.
        if (req.kind === 'valid' && !conformance.conforming)
          problems.push(`generator: a "valid" request does not conform: ${conformance.reasons.join('; ')}`);
        if (!shrinking) stats.record(req, response, conformance, sent.body?.length ?? 0, faultArmed);
        if (problems.length > 0 && survey) {
          for (const p of problems) {
            const kind = p.replace(/\d+/g, 'N').replace(/:.*$/s, '').slice(0, 120);
            const seen = surveyed.get(kind);
            if (seen) seen.count++;
            else
              surveyed.set(kind, {
                count: 1,
                example: `${p}\n    ${req.operationId} ${sent.method} ${sent.url.slice(0, 200)} → ${response.status} ${response.text.slice(0, 300)}\n    body: ${sent.body?.slice(0, 300)}`,
              });
          }
          return;
        }
        if (problems.length > 0) {
          shrinking = true;
          const body =
            sent.body === undefined
              ? ''
              : `\n  request body: ${sent.body.length > 600 ? `${sent.body.slice(0, 600)}… (${sent.body.length} chars)` : sent.body}`;
          throw new Error(
            `${req.operationId}: ${sent.method} ${sent.url} → ${response.status}${body}\n  response: ${response.text.slice(0, 600)}\n  - ${problems.join('\n  - ')}`,
          );
        }
      });
      try {
        await fc.assert(property, { seed, numRuns });
      } catch (error) {
        console.log(
          `fuzz: FAILED, seed ${seed}; replay with FUZZ_SEED=${seed} FUZZ_RUNS=${numRuns} npx vitest run test/fuzz.test.ts\n${(error as Error).message}`,
        );
        console.log(stats.summary(seed));
        throw error;
      }
      console.log(stats.summary(seed));
      if (process.env.FUZZ_VERBOSE || survey) console.log(stats.table());
      if (survey) {
        for (const [kind, { count, example }] of surveyed) console.log(`${count} × ${kind}\n    ${example}`);
        expect([...surveyed.keys()]).toEqual([]);
      }

      // Coverage: every operation of both specs, with valid and with broken requests.
      for (const op of OPERATIONS) {
        const s = stats.operations.get(op.operationId);
        expect(s?.valid ?? 0, `${op.operationId}: valid requests`).toBeGreaterThan(0);
        expect(s?.broken ?? 0, `${op.operationId}: broken requests`).toBeGreaterThan(0);
      }
      // Valid requests do reach the server's behaviour, not only its validation.
      const t = stats.totals();
      expect(t.valid2xx / t.valid, 'share of valid requests answered 2xx').toBeGreaterThan(0.5);
      for (const id of SUCCEED_WHEN_CONFORMING) {
        const s = stats.operations.get(id)!;
        expect(s.valid2xx, `${id}: valid requests answered 2xx`).toBeGreaterThan(0);
      }
    },
    120_000 + numRuns * 60,
  );
});
