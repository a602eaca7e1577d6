import { createHash } from 'node:crypto';
import type { Request } from 'autocannon';
import { call } from './http.js';
import { formatInput } from './numbers.js';
import type { Scenario } from './scenarios.js';
import type { Target } from './targets.js';

/** The 4-digit prefixes (1 + area code) of the seeded rows, one per table (see seedBulk). */
export const GROWTH_PREFIXES = {
  blocks: '1212',
  contactChecks: '1631',
  accounts: '1415',
  inboundMessages: '1310',
} as const;

/** Contacts with a message history; each has size / REPORT_CONTACTS messages (see seedBulk). */
export const REPORT_CONTACTS = 100;
/** Messages a report without message_id names (the API's "last 5 messages"). */
const REPORTED = 5;

/** Id of message j of a seeded contact, j = 0 the newest, as seedBulk writes it. */
export const seededMessageId = (waId: string, j: number): string => `wamid.seed.${waId}.${j}`;

/** wa_id of seeded row i, as the reference server's seedBulk writes it. */
export const seeded = (prefix: string, i: number): string => `${prefix}${2_000_000 + i}`;

/** The identity hash seedBulk gives account i: base64 of the first 8 bytes of md5(i). */
export const seededHash = (i: number): string =>
  Buffer.from(createHash('md5').update(String(i)).digest('hex').slice(0, 16), 'hex').toString('base64');

const PAGE = 100;
const CHECK_SIZE = 100;
export const GROWTH_IDS = [
  'grow-blocklist-first',
  'grow-blocklist-middle',
  'grow-blocklist-last',
  'grow-check-cached',
  'grow-check-force',
  'grow-identity',
  'grow-report',
] as const;

/** Row indexes spread over the whole table in a fixed order (a prime stride), request by request. */
const spread = (k: number, size: number): number => (k * 7919) % size;

type Body = { contacts?: Array<Record<string, unknown>>; pagination?: { total?: number } };

function blocklist(id: string, size: number, offset: number): Scenario {
  const expectedFirst = `${seeded(GROWTH_PREFIXES.blocks, offset)}@s.whatsapp.net`;
  const count = Math.min(PAGE, size - offset);
  return {
    id,
    title: `GET /v1/contacts/blocklist?limit=${PAGE}&offset=${offset.toLocaleString('en-US')}, ${size.toLocaleString('en-US')} blocked`,
    mode: 'load',
    kinds: ['reference', 'prism'],
    needs: [],
    baseline: [],
    requests: (t) => [
      { method: 'GET', path: `/v1/contacts/blocklist?limit=${PAGE}&offset=${offset}`, headers: t.auth },
    ],
    verify: (body) => {
      const b = body as Body;
      if (b.pagination?.total !== size) return `total is ${b.pagination?.total}, expected ${size}`;
      if (b.contacts?.length !== count) return `page has ${b.contacts?.length} contacts, expected ${count}`;
      return b.contacts[0]?.wa_id === expectedFirst
        ? null
        : `first is ${b.contacts[0]?.wa_id}, expected ${expectedFirst}`;
    },
  };
}

function check(id: string, size: number, forceCheck: boolean): Scenario {
  const rows = (k: number) => Array.from({ length: CHECK_SIZE }, (_, j) => spread(k * CHECK_SIZE + j, size));
  // Row i in format i % 4, as seedBulk keeps the inputs of the cached numbers.
  const body = (k: number) =>
    JSON.stringify({
      blocking: 'wait',
      ...(forceCheck ? { force_check: true } : {}),
      contacts: rows(k).map((i) => formatInput(seeded(GROWTH_PREFIXES.contactChecks, i), i)),
    });
  const first = rows(0).map((i) => seeded(GROWTH_PREFIXES.contactChecks, i));
  // One count for the warm-up and every round: restarted per round, the rounds re-sent numbers the server's in-process caches held.
  let k = 0;
  return {
    id,
    title: `POST /v1/contacts, ${CHECK_SIZE} numbers spread over a cache of ${size.toLocaleString('en-US')}, ${forceCheck ? 'force_check' : 'cached'}`,
    mode: 'load',
    kinds: ['reference', 'prism'],
    needs: [],
    baseline: [],
    requests: (t: Target): Request[] => {
      return [
        {
          method: 'POST',
          path: '/v1/contacts',
          headers: { 'content-type': 'application/json', ...t.auth },
          body: body(0),
          setupRequest: (req) => ({ ...req, body: body(k++) }),
        },
      ];
    },
    verify: (b) => {
      const contacts = (b as Body).contacts ?? [];
      if (contacts.length !== CHECK_SIZE) return `expected ${CHECK_SIZE} results, got ${contacts.length}`;
      const wrong = contacts.findIndex((c, j) => c.status !== 'valid' || c.wa_id !== first[j]);
      return wrong < 0 ? null : `result ${wrong} is ${JSON.stringify(contacts[wrong])}, expected valid ${first[wrong]}`;
    },
  };
}

function identity(id: string, size: number): Scenario {
  const hash0 = seededHash(0);
  return {
    id,
    title: `GET /v1/contacts/{wa_id}/identity spread over ${size.toLocaleString('en-US')} accounts`,
    mode: 'load',
    kinds: ['reference', 'prism'],
    needs: [],
    baseline: [],
    requests: (t) => {
      let k = 0;
      return [
        {
          method: 'GET',
          path: `/v1/contacts/${seeded(GROWTH_PREFIXES.accounts, 0)}/identity`,
          headers: t.auth,
          setupRequest: (req) => ({
            ...req,
            path: `/v1/contacts/${seeded(GROWTH_PREFIXES.accounts, spread(k++, size))}/identity`,
          }),
        },
      ];
    },
    verify: (b) => {
      const hash = (b as { contacts?: { hash?: unknown } }).contacts?.hash;
      return hash === hash0 ? null : `identity hash is ${JSON.stringify(hash)}, expected ${hash0}`;
    },
  };
}

function report(id: string, size: number): Scenario {
  const path = (k: number) =>
    `/v1/contacts/${seeded(GROWTH_PREFIXES.inboundMessages, spread(k, REPORT_CONTACTS))}/report`;
  const first = seeded(GROWTH_PREFIXES.inboundMessages, 0);
  const expected = Array.from({ length: REPORTED }, (_, j) => seededMessageId(first, j));
  const perContact = Math.floor(size / REPORT_CONTACTS).toLocaleString('en-US');
  return {
    id,
    title: `POST /v1/contacts/{phone_number}/report spread over ${REPORT_CONTACTS} contacts with ${perContact} messages each`,
    mode: 'load',
    kinds: ['reference', 'prism'],
    needs: [],
    baseline: [],
    requests: (t) => {
      let k = 0;
      return [
        {
          method: 'POST',
          path: path(0),
          headers: { 'content-type': 'application/json', ...t.auth },
          body: JSON.stringify({ reason: 'bench' }),
          setupRequest: (req) => ({ ...req, path: path(k++) }),
        },
      ];
    },
    verify: (b) => ((b as { errors?: unknown }).errors === undefined ? null : `answered ${JSON.stringify(b)}`),
    // The probe's report is the only one yet: it names the contact's 5 newest messages.
    check: async (t) => {
      const res = await call(t.server.url, 'GET', '/sandbox/reports', { headers: t.auth });
      const reports = (JSON.parse(res.text) as { reports?: Array<{ wa_id: string; messages: Array<{ id: string }> }> })
        .reports;
      const got = reports?.map((r) => ({ wa_id: r.wa_id, messages: r.messages.map((m) => m.id) }));
      const want = [{ wa_id: first, messages: expected }];
      return JSON.stringify(got) === JSON.stringify(want)
        ? null
        : `reports are ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
    },
  };
}

/** The scenarios run on a database seeded with `size` rows per table. */
export function growthScenarios(size: number): Scenario[] {
  return [
    blocklist('grow-blocklist-first', size, 0),
    // Where the searches from either end meet: the most counts to sum.
    blocklist('grow-blocklist-middle', size, size / 2),
    blocklist('grow-blocklist-last', size, Math.max(0, size - PAGE)),
    check('grow-check-cached', size, false),
    check('grow-check-force', size, true),
    identity('grow-identity', size),
    report('grow-report', size),
  ];
}
