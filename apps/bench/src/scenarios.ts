import type { Request } from 'autocannon';
import { ApiSession } from '@wa-contacts/test-kit';
import { forEachLimit } from './http.js';
import { checkNumbers, POOLS, waIds, type BenchNumber } from './numbers.js';
import type { BaselineRoute, Target, TargetKind } from './targets.js';

/** How big and how long: the full run and the quick (CI) run differ only here. */
export interface Sizes {
  connections: number;
  /** Timed seconds per load scenario and server, over every round. */
  durationS: number;
  /**
   * The timed seconds are split into this many rounds, the servers taking turns round by
   * round, so a burst of noise on a shared machine hits them alike; req/s is the median round.
   */
  rounds: number;
  /** Untimed seconds of the same load first (JIT, caches, pools). */
  warmupS: number;
  /** Timed seconds of the mixed soak that the RSS target is judged on. */
  soakS: number;
  /** Numbers in the one-shot request, and how many times it is sent (median reported). */
  oneshotSize: number;
  oneshotRepeats: number;
  blocklistSize: number;
  identityPool: number;
  moderationPool: number;
  /** Rows per table of the growth scenarios' databases, one database per size (growth.ts). */
  growthSizes: number[];
  /** Reference servers on one PostgreSQL, one configuration each (instances.ts). */
  instanceCounts: number[];
}

export const FULL: Sizes = {
  connections: 10,
  durationS: 10,
  rounds: 5,
  warmupS: 2,
  soakS: 60,
  oneshotSize: 10_000,
  oneshotRepeats: 7,
  blocklistSize: 10_000,
  identityPool: 1_000,
  moderationPool: 1_000,
  growthSizes: [1_000, 100_000, 1_000_000],
  instanceCounts: [1, 2, 3],
};

// Proves the harness works, not how fast: half a second still answers dozens of 1,000-number force_checks.
export const QUICK: Sizes = {
  connections: 10,
  durationS: 0.5,
  rounds: 1,
  warmupS: 0.2,
  soakS: 2,
  oneshotSize: 10_000,
  oneshotRepeats: 3,
  blocklistSize: 500,
  identityPool: 200,
  moderationPool: 200,
  growthSizes: [1_000],
  instanceCounts: [1, 2],
};

/** Set-up steps on a reference server, each run once per server before any timing. */
export type SetupStep = 'warm-checks' | 'blocklist' | 'identities' | 'engaged';

export interface Scenario {
  id: string;
  title: string;
  mode: 'load' | 'oneshot';
  kinds: readonly TargetKind[];
  needs: readonly SetupStep[];
  /** Seconds, instead of Sizes.durationS. */
  durationS?: number;
  /** Rounds, instead of Sizes.rounds. */
  rounds?: number;
  /** The request sequence each connection cycles through (load). */
  requests(target: Target): Request[];
  /** What the baseline answers (one constant per route). */
  baseline: BaselineRoute[];
  /** Checks one answer of a reference server (status already 2xx): an error message or null. */
  verify?(body: unknown): string | null;
  /** Checks a reference server's state after the probe (what the answer does not show): an error message or null. */
  check?(target: Target): Promise<string | null>;
}

const META = { api_status: 'stable', version: 'v2.45.1' };
const JSON_TYPE = { 'content-type': 'application/json' };

export const checkBody = (numbers: readonly BenchNumber[], forceCheck: boolean) =>
  JSON.stringify({
    blocking: 'wait',
    ...(forceCheck ? { force_check: true } : {}),
    contacts: numbers.map((n) => n.input),
  });

function checkResponse(numbers: readonly BenchNumber[]): string {
  return JSON.stringify({
    meta: META,
    contacts: numbers.map((n) => ({ wa_id: n.waId, input: n.input, status: 'valid' })),
  });
}

function verifyCheck(numbers: readonly BenchNumber[]) {
  return (body: unknown): string | null => {
    const contacts = (body as { contacts?: Array<{ input: string; status: string; wa_id?: string }> }).contacts ?? [];
    if (contacts.length !== numbers.length) return `expected ${numbers.length} results, got ${contacts.length}`;
    const wrong = contacts.findIndex(
      (c, i) => c.input !== numbers[i]!.input || c.status !== 'valid' || c.wa_id !== numbers[i]!.waId,
    );
    return wrong < 0
      ? null
      : `result ${wrong} is ${JSON.stringify(contacts[wrong])}, expected valid ${numbers[wrong]!.waId}`;
  };
}

function blocklistResponse(total: number): string {
  const page = waIds(POOLS.blocklist, Math.min(200, total)).map((waId) => ({ wa_id: `${waId}@s.whatsapp.net` }));
  return JSON.stringify({ meta: META, contacts: page, pagination: { limit: 200, offset: 0, total } });
}

/** Offsets 0, 200, … up to the last full page, visited in a scrambled but fixed order. */
export function blocklistOffsets(total: number): number[] {
  const pages = Math.max(1, Math.floor((total - 200) / 200) + 1);
  const offsets = Array.from({ length: pages }, (_, i) => ((i * 7919) % pages) * 200);
  return [...new Set(offsets)];
}

export function buildScenarios(sizes: Sizes): Scenario[] {
  const auth = (t: Target) => t.auth;
  const json = (t: Target) => ({ ...JSON_TYPE, ...t.auth });

  const check = (count: number, forceCheck: boolean): Scenario => {
    const numbers = checkNumbers(count);
    const body = checkBody(numbers, forceCheck);
    return {
      id: `check-${count}${forceCheck ? '-force' : ''}`,
      title: `POST /v1/contacts, ${count.toLocaleString('en-US')} number${count > 1 ? 's' : ''}, ${forceCheck ? 'force_check (no cache)' : 'cached'}`,
      mode: 'load',
      kinds: ['reference', 'prism', 'baseline'],
      needs: ['warm-checks'],
      requests: (t) => [{ method: 'POST', path: '/v1/contacts', headers: json(t), body }],
      baseline: [{ method: 'POST', pattern: '^/v1/contacts$', status: 200, body: checkResponse(numbers) }],
      verify: verifyCheck(numbers),
    };
  };

  const oneshot = (forceCheck: boolean): Scenario => {
    const numbers = checkNumbers(sizes.oneshotSize);
    const body = checkBody(numbers, forceCheck);
    return {
      id: `check-${sizes.oneshotSize}-oneshot${forceCheck ? '-force' : ''}`,
      title: `POST /v1/contacts, ${sizes.oneshotSize.toLocaleString('en-US')} numbers in one request, ${forceCheck ? 'force_check' : 'cached'} (one at a time, median of ${sizes.oneshotRepeats})`,
      mode: 'oneshot',
      kinds: ['reference', 'prism', 'baseline'],
      needs: ['warm-checks'],
      requests: (t) => [{ method: 'POST', path: '/v1/contacts', headers: json(t), body }],
      baseline: [{ method: 'POST', pattern: '^/v1/contacts$', status: 200, body: checkResponse(numbers) }],
      verify: verifyCheck(numbers),
    };
  };

  const offsets = blocklistOffsets(sizes.blocklistSize);
  const blocklistRequest = (t: Target): Request => {
    let i = 0;
    return {
      method: 'GET',
      path: '/v1/contacts/blocklist?limit=200&offset=0',
      headers: auth(t),
      setupRequest: (req) => ({
        ...req,
        path: `/v1/contacts/blocklist?limit=200&offset=${offsets[i++ % offsets.length]}`,
      }),
    };
  };

  const identityIds = waIds(POOLS.identity, sizes.identityPool);
  const identityRequest = (t: Target): Request => {
    let i = 0;
    return {
      method: 'GET',
      path: `/v1/contacts/${identityIds[0]}/identity`,
      headers: auth(t),
      setupRequest: (req) => ({ ...req, path: `/v1/contacts/${identityIds[i++ % identityIds.length]}/identity` }),
    };
  };

  // Each connection blocks a number then unblocks the same one; numbers are taken in turn.
  const engagedIds = waIds(POOLS.moderation, sizes.moderationPool);
  const blockUnblockRequests = (t: Target): Request[] => {
    let i = 0;
    return [
      {
        method: 'POST',
        path: `/v1/contacts/${engagedIds[0]}/block`,
        headers: json(t),
        body: '{"reason":"bench"}',
        setupRequest: (req, context) => {
          const waId = engagedIds[i++ % engagedIds.length]!;
          (context as { waId?: string }).waId = waId;
          return { ...req, path: `/v1/contacts/${waId}/block` };
        },
      },
      {
        method: 'POST',
        path: `/v1/contacts/${engagedIds[0]}/unblock`,
        headers: auth(t),
        setupRequest: (req, context) => ({
          ...req,
          path: `/v1/contacts/${(context as { waId?: string }).waId}/unblock`,
        }),
      },
    ];
  };

  const check1 = check(1, false);
  const check100 = check(100, false);
  const check1000 = check(1000, false);
  const ok = JSON.stringify({ meta: META });

  return [
    check1,
    check100,
    check1000,
    check(1, true),
    check(100, true),
    check(1000, true),
    oneshot(false),
    oneshot(true),
    {
      id: 'blocklist',
      title: `GET /v1/contacts/blocklist, limit=200 at ${offsets.length} offsets over ${sizes.blocklistSize.toLocaleString('en-US')} blocked`,
      mode: 'load',
      kinds: ['reference', 'prism', 'baseline'],
      needs: ['blocklist'],
      requests: (t) => [blocklistRequest(t)],
      baseline: [
        {
          method: 'GET',
          pattern: '^/v1/contacts/blocklist$',
          status: 200,
          body: blocklistResponse(sizes.blocklistSize),
        },
      ],
      verify: (body) => {
        const b = body as { contacts?: unknown[]; pagination?: { total?: number } };
        if (b.pagination?.total !== sizes.blocklistSize)
          return `total is ${b.pagination?.total}, expected ${sizes.blocklistSize}`;
        return b.contacts?.length === Math.min(200, sizes.blocklistSize)
          ? null
          : `page has ${b.contacts?.length} contacts`;
      },
    },
    {
      id: 'identity',
      title: `GET /v1/contacts/{wa_id}/identity over ${identityIds.length.toLocaleString('en-US')} users`,
      mode: 'load',
      kinds: ['reference', 'prism', 'baseline'],
      needs: ['identities'],
      requests: (t) => [identityRequest(t)],
      baseline: [
        {
          method: 'GET',
          pattern: '^/v1/contacts/[^/]+/identity$',
          status: 200,
          body: JSON.stringify({
            meta: META,
            contacts: { hash: 'IXiiUVHL508=', created_timestamp: 1795239479792, acknowledged: true },
          }),
        },
      ],
      verify: (body) =>
        typeof (body as { contacts?: { hash?: unknown } }).contacts?.hash === 'string' ? null : 'no identity hash',
    },
    {
      id: 'block-unblock',
      title: `POST block then unblock, alternating, over ${engagedIds.length.toLocaleString('en-US')} engaged contacts`,
      mode: 'load',
      kinds: ['reference', 'prism', 'baseline'],
      needs: ['engaged'],
      requests: blockUnblockRequests,
      baseline: [{ method: 'POST', pattern: '^/v1/contacts/[^/]+/(block|unblock)$', status: 200, body: ok }],
    },
    {
      id: 'soak',
      title: `Soak: every request above in turn (cached checks of 1/100/1,000, blocklist, identity, block, unblock), ${sizes.soakS} s`,
      mode: 'load',
      kinds: ['reference'],
      needs: ['warm-checks', 'blocklist', 'identities', 'engaged'],
      durationS: sizes.soakS,
      // One uninterrupted run per server: the RSS target is judged over it.
      rounds: 1,
      requests: (t) => [
        ...check1.requests(t),
        ...check100.requests(t),
        ...check1000.requests(t),
        blocklistRequest(t),
        identityRequest(t),
        ...blockUnblockRequests(t),
      ],
      baseline: [],
    },
  ];
}

/** Runs one set-up step on a reference server (through its HTTP API, sandbox included). */
export async function runSetup(step: SetupStep, target: Target, sizes: Sizes): Promise<void> {
  // The target's bearer header on every call (no log-in of its own).
  const api = new ApiSession(target.server.url, undefined, target.auth);
  switch (step) {
    case 'warm-checks': {
      // One wait + force_check call caches every number the check scenarios send.
      const body = checkBody(checkNumbers(sizes.oneshotSize), true);
      await api.ok('POST', '/v1/contacts', { body, headers: JSON_TYPE });
      return;
    }
    case 'blocklist':
      // Only an engaged contact can be blocked: each one writes in first.
      await forEachLimit(waIds(POOLS.blocklist, sizes.blocklistSize), 8, async (waId) => {
        await api.ok('POST', '/sandbox/inbound', { json: { from: waId, text: 'bench' } });
        await api.ok('POST', `/v1/contacts/${waId}/block`, { json: { reason: 'bench' } });
      });
      return;
    case 'identities':
      await forEachLimit(waIds(POOLS.identity, sizes.identityPool), 8, async (waId) => {
        await api.ok('GET', `/v1/contacts/${waId}/identity`);
      });
      return;
    case 'engaged':
      await forEachLimit(waIds(POOLS.moderation, sizes.moderationPool), 8, async (waId) => {
        await api.ok('POST', '/sandbox/inbound', { json: { from: waId, text: 'bench' } });
      });
      return;
  }
}
