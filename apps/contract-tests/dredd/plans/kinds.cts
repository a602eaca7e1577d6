// The plans every operation shares, one function per status: 401, 413, 429 and 500.
import type { Rewrite } from '../rewrite.cjs';
import type { Json } from '../schemas.cjs';
import { type Account, type Answer, headerValue, type Session, sleep } from '../target.cjs';
import { type Plan, resend } from './plan.cjs';

/** A set-up step before a request rewrite (a path with a fresh account, a token of its own). */
export type Setup = (t: Rewrite, s: Session) => Promise<void>;

const MIB = 1024 * 1024;
/** A string that makes any JSON body larger than the 1 MiB the spec allows. */
export const OVERSIZE = 'x'.repeat(MIB + 1024);
const WRONG_TOKEN = 'Bearer not-a-token-issued-by-this-server';

export const phonePath = (action: string) => (account: { phone: string }) =>
  `/v1/contacts/${encodeURIComponent(account.phone)}/${action}`;
export const identityPath = (account: { waId: string }) => `/v1/contacts/${encodeURIComponent(account.waId)}/identity`;

/** Dredd's request to `path` of a fresh sandbox account (registered, never wrote in). */
export const atFresh =
  (path: (account: Account) => string): Setup =>
  async (t, s) =>
    t.uri(path(await s.freshAccount()));
/** Dredd's request to `path` of an account that wrote in just now (engaged). */
export const atEngaged =
  (path: (account: Account) => string): Setup =>
  async (t, s) =>
    t.uri(path(await s.engagedAccount()));
/** Dredd's request with a token of its own: a logout must not revoke the session's. */
export const ownToken: Setup = async (t, s) => t.auth(await s.freshBearer());

/** 401 for every bearer-protected operation: a token the server never issued, or none. */
export const unauthorized = (setup?: Setup): Plan => ({
  code: 1005,
  before: async (t, s) => {
    await setup?.(t, s);
    t.auth(WRONG_TOKEN);
  },
  variants: [resend('no Authorization header', { authorization: null })],
});

/** 413 for every operation with a body: valid credentials, a body over 1 MiB. */
export const tooLarge = (makeBody: (pad: string) => Json, setup?: Setup): Plan => ({
  code: 1009,
  before: async (t, s) => {
    await setup?.(t, s);
    t.json(makeBody(OVERSIZE));
  },
});

/** Bounds of a 429 plan: the burst that empties a bucket, then (on a fast target) the wait for one token. */
const EXHAUST_ROUNDS = 10;
const EXHAUST_CONCURRENCY = 30;
const REFILL_POLLS = 600;
const REFILL_POLL_GAP_MS = 5;

/**
 * 429 for every operation: its bucket (one per operation, taken before authentication; full,
 * as hooks.cts refills every bucket before each transaction) is emptied with requests without
 * credentials (401s, no side effect, no login throttle). The server run.cts starts refills a
 * token every 10 s (Retry-After 10), so Dredd's request meets the empty bucket with no wait. On
 * a target that refills within a second (Retry-After 1: the node's 20/s), requests go one at a
 * time until a refilled token is taken, so that Dredd's request comes right after a take.
 * Should Dredd's request get through after all, `setup` makes sure it changes nothing.
 */
export const rateLimited = (setup?: Setup): Plan => ({
  code: 1015,
  before: async (t, s) => {
    await setup?.(t, s);
    const probe = () => t.resend({ authorization: null });
    let refused: Answer | undefined;
    for (let round = 0; round < EXHAUST_ROUNDS && !refused; round++) {
      const answers = await Promise.all(Array.from({ length: EXHAUST_CONCURRENCY }, probe));
      refused = answers.find((res) => res.status === 429);
    }
    if (!refused)
      throw new Error(
        `no 429 in ${EXHAUST_ROUNDS * EXHAUST_CONCURRENCY} requests: the target's rate limit is off or above that burst`,
      );
    if (Number(headerValue(refused.headers, 'retry-after')) >= 2) return;
    for (let poll = 0; poll < REFILL_POLLS; poll++) {
      if ((await probe()).status !== 429) return;
      await sleep(REFILL_POLL_GAP_MS);
    }
    throw new Error(`no token came back in ${REFILL_POLLS} requests`);
  },
  checkReal: (real) => {
    const retryAfter = headerValue(real.headers, 'retry-after');
    return /^[1-9]\d*$/.test(retryAfter ?? '')
      ? []
      : [`Retry-After must be whole seconds of at least 1, got ${JSON.stringify(retryAfter)}`];
  },
});

/** 500 for every operation: its own 200 set-up, then one fault armed for its operationId. */
export const failing = (operationId: string, ok: Plan): Plan => ({
  code: 1014,
  before: async (t, s) => {
    const state = (await ok.before?.(t, s)) ?? {};
    await s.ok('POST', '/sandbox/faults', { json: { operation_id: operationId, count: 1 } });
    return state;
  },
  ...(ok.after ? { after: ok.after } : {}),
});
