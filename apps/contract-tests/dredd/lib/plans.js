'use strict';
// How each transaction (operation × documented status) is provoked.
//
// Dredd sends the spec's one example request for every status of an operation; each plan
// below prepares the state through the sandbox and rewrites that request so the server has
// to answer with the status under test:
//   before(t, s)  set-up and request rewrite (t: the transaction helper of hooks.js, s: the
//                 session); returns a state object handed to the other steps
//   code          the WhatsApp error code the Dredd request must come back with
//   variants      the other documented ways to get this status (Dredd's transaction carries
//                 one request): sent by the hooks after Dredd's request and checked against
//                 the same schema, status and code; a failing variant fails the transaction
//   checkReal(r)  problems with Dredd's real answer beyond status, schema and code (headers)
//   after(s, st)  restores what before() changed (blocks, settings)
// Every set-up uses fresh random accounts, so no transaction depends on another's order.
//
// 500: the operation's 200 plan makes the request valid, then the sandbox arms a fault
// (POST /sandbox/faults) so exactly that call fails as an internal error would.

const MIB = 1024 * 1024;
/** A string that makes any JSON body larger than the 1 MiB the spec allows. */
const OVERSIZE = 'x'.repeat(MIB + 1024);
const WRONG_TOKEN = 'Bearer not-a-token-issued-by-this-server';
const TOO_LONG_REASON = 'r'.repeat(60); // the spec: at most 59 characters
const BAD_PHONE = 'not-a-phone-number';
const phonePath = (phone, action) => `/v1/contacts/${encodeURIComponent(phone)}/${action}`;
const identityPath = (waId) => `/v1/contacts/${encodeURIComponent(waId)}/identity`;

/** 401 for every bearer-protected operation: a token the server never issued, or none. */
const unauthorized = (rewrite) => ({
  code: 1005,
  before: async (t, s) => {
    const state = rewrite ? await rewrite(t, s) : {};
    t.auth(WRONG_TOKEN);
    return state;
  },
  variants: [{ name: 'no Authorization header', send: (_s, _st, t) => t.resend({ authorization: null }) }],
});

/** 413 for every operation with a body: valid credentials, a body over 1 MiB. */
const tooLarge = (makeBody, rewrite) => ({
  code: 1009,
  before: async (t, s) => {
    const state = rewrite ? await rewrite(t, s) : {};
    t.json(makeBody(OVERSIZE));
    return state;
  },
});

/** A token of its own, from a login of the session's user: a logout must not revoke the session's. */
async function freshBearer(s) {
  // The login 429 plan empties login's bucket just before: wait as Retry-After says, a few times.
  for (let attempt = 1; ; attempt++) {
    const res = await s.target.request('POST', '/v1/users/login', { authorization: s.basic });
    if (res.status === 200) return `Bearer ${res.json.users[0].token}`;
    if (res.status !== 429 || attempt === 5) throw new Error(`set-up login failed: ${res.status} ${res.text}`);
    const retryAfter = Number(
      Object.entries(res.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1] ?? 1,
    );
    await sleep(1000 * retryAfter);
  }
}

/** Bounds of a 429 plan: the burst that empties a bucket, then the wait for one token. */
const EXHAUST_ROUNDS = 10;
const EXHAUST_CONCURRENCY = 30;
const REFILL_POLLS = 600;
const REFILL_POLL_GAP_MS = 5;
/** After a 429 plan: 3 tokens at 2/s, the rate run.mjs gives its server, for the transactions after it. */
const REFILL_WAIT_MS = 1500;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 429 for every operation: its bucket (one per operation, taken before authentication) is
 * emptied with requests without credentials (401s, no side effect, no login throttle); then
 * requests go one at a time until a refilled token is taken, so Dredd's request comes right
 * after a take and meets an empty bucket (at 2/s, 500 ms before the next token).
 */
const rateLimited = (rewrite) => ({
  code: 1015,
  before: async (t, s) => {
    // Should Dredd's request get through after all, it must change nothing (login: no new_password,
    // logout: a token of its own).
    await rewrite?.(t, s);
    const probe = () => t.resend({ authorization: null });
    let limited = false;
    for (let round = 0; round < EXHAUST_ROUNDS && !limited; round++) {
      const answers = await Promise.all(Array.from({ length: EXHAUST_CONCURRENCY }, probe));
      limited = answers.some((res) => res.status === 429);
    }
    if (!limited)
      throw new Error(
        `no 429 in ${EXHAUST_ROUNDS * EXHAUST_CONCURRENCY} requests: the target's rate limit is off or above that burst`,
      );
    for (let poll = 0; poll < REFILL_POLLS; poll++) {
      if ((await probe()).status !== 429) return {};
      await sleep(REFILL_POLL_GAP_MS);
    }
    throw new Error(`no token came back in ${REFILL_POLLS} requests`);
  },
  checkReal: (real) => {
    const retryAfter = Object.entries(real.headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
    return /^[1-9]\d*$/.test(String(retryAfter ?? ''))
      ? []
      : [`Retry-After must be whole seconds of at least 1, got ${JSON.stringify(retryAfter)}`];
  },
  after: () => sleep(REFILL_WAIT_MS),
});

const plans = {
  // POST /v1/users/login (HTTP Basic; hooks.js puts the valid credentials in)
  'login 200': {
    // No new_password: logging in must not change the password of the target's account.
    before: async (t) => t.json({}),
  },
  'login 400': {
    // Dredd's 400 carries the spec's first example, 1024 (first login without new_password).
    // Only an account that still has its factory password answers it: run.mjs starts a
    // second, factory-fresh reference server for this one request when it starts its own;
    // against CONTRACT_TARGET alone, the 400 is the other documented cause (weak password).
    before: async (t, _s) => {
      const { firstLoginTarget, firstLoginPassword, username } = t.options;
      if (firstLoginTarget) {
        t.retarget(firstLoginTarget);
        t.auth(t.basicAuth(username, firstLoginPassword));
        t.noBody();
        t.expectCode(1024);
        return { firstLogin: true };
      }
      t.json({ new_password: 'weak' });
      t.expectCode(1009);
      t.note(
        '1024 (first login) not provoked: CONTRACT_TARGET has no factory-fresh account; the 400 was provoked with a weak new_password (1009)',
      );
      return { firstLogin: false };
    },
    variants: [
      {
        name: 'new_password breaks the policy (1009)',
        when: (st) => st.firstLogin,
        send: (s, _st, t) => t.resend({ authorization: s.basic, json: { new_password: 'weak' } }),
        code: 1009,
      },
      {
        name: 'unknown field in the body (1009)',
        send: (s, _st, t) => t.resend({ authorization: s.basic, json: { password: 'x' } }),
        code: 1009,
      },
    ],
  },
  'login 401': {
    code: 1005,
    before: async (t, s) => {
      t.auth(t.basicAuth(s.username, `${s.password}-wrong`));
    },
    variants: [
      {
        name: 'unknown user',
        send: (s, _st, t) => t.resend({ authorization: t.basicAuth(`${s.username}-nobody`, s.password) }),
      },
      { name: 'no Authorization header', send: (_s, _st, t) => t.resend({ authorization: null }) },
      { name: 'a bearer token instead of Basic', send: (s, _st, t) => t.resend({ authorization: s.bearer }) },
    ],
  },
  'login 413': tooLarge((pad) => ({ new_password: pad })),

  // POST /v1/users/logout: every plan logs out a token of its own, never the session's.
  'logout 200': {
    before: async (t, s) => {
      t.auth(await freshBearer(s));
      t.noBody();
    },
    variants: [
      {
        // Meta's Postman collection (v2.23, "Logout-User") sends exactly this.
        name: 'Content-Type: application/json and an empty body',
        send: async (s, _st, t) =>
          t.resend({ authorization: await freshBearer(s), headers: { 'Content-Type': 'application/json' }, body: '' }),
      },
    ],
  },
  'logout 401': {
    ...unauthorized(),
    variants: [
      ...unauthorized().variants,
      {
        name: 'a token already logged out',
        send: async (s, _st, t) => {
          const bearer = await freshBearer(s);
          const first = await s.target.request('POST', '/v1/users/logout', { authorization: bearer });
          if (first.status !== 200) throw new Error(`set-up logout failed: ${first.status} ${first.text}`);
          return t.resend({ authorization: bearer });
        },
      },
    ],
  },
  // Logout takes no body, but the server still reads what is sent, up to its limit.
  'logout 413': tooLarge(
    (pad) => ({ padding: pad }),
    async (t, s) => t.auth(await freshBearer(s)),
  ),

  // POST /v1/contacts
  'checkContacts 200': {
    // The spec's example (no_wait), with every status in one answer: its numbers checked
    // beforehand with `wait` (cached: `valid`), a number never checked (`processing`) and one
    // that cannot be read (`failed`): both branches of the `oneOf` are in the body Dredd checks.
    before: async (t, s) => {
      const body = t.body();
      await s.ok('POST', '/v1/contacts', { json: { blocking: 'wait', contacts: body.contacts } });
      const { phone } = await s.freshAccount();
      t.json({ ...body, contacts: [...body.contacts, phone, '+163155588'] });
    },
    variants: [
      {
        name: 'blocking: wait, force_check: true',
        send: (_s, _st, t) =>
          t.resend({
            json: { blocking: 'wait', force_check: true, contacts: ['16315551000', '+1 (631) 555-1004', 'abc'] },
          }),
      },
    ],
  },
  'checkContacts 400': {
    code: 1009,
    before: async (t) => t.json({ blocking: 'later', contacts: ['16315551000'] }),
    variants: [
      { name: 'no contacts (1008)', send: (_s, _st, t) => t.resend({ json: { blocking: 'wait' } }), code: 1008 },
      { name: 'no body at all (1008)', send: (_s, _st, t) => t.resend({ body: '' }), code: 1008 },
      {
        name: 'more than 10,000 numbers (1009)',
        send: (_s, _st, t) =>
          t.resend({
            json: {
              contacts: Array.from({ length: 10_001 }, (_, i) => `+1631555${String(i % 10_000).padStart(4, '0')}`),
            },
          }),
        code: 1009,
      },
      { name: 'empty contacts list (1009)', send: (_s, _st, t) => t.resend({ json: { contacts: [] } }), code: 1009 },
      {
        name: 'force_check is not a boolean (1009)',
        send: (_s, _st, t) => t.resend({ json: { contacts: ['16315551000'], force_check: 'true' } }),
        code: 1009,
      },
      { name: 'malformed JSON (1009)', send: (_s, _st, t) => t.resend({ body: '{"contacts": [' }), code: 1009 },
    ],
  },
  'checkContacts 401': unauthorized(),
  'checkContacts 413': tooLarge((pad) => ({ contacts: [pad] })),

  // GET /v1/contacts/blocklist
  'getBlocklist 200': {
    // At least one blocked contact, so the page has an entry to check.
    before: async (_t, s) => {
      const account = await s.engagedAccount();
      await s.block(account.phone, 'Contract test');
      return { account };
    },
    variants: [
      { name: 'defaults (no limit, no offset)', send: (_s, _st, t) => t.resend({ uri: '/v1/contacts/blocklist' }) },
    ],
    after: async (s, st) => s.unblock(st.account.phone),
  },
  'getBlocklist 400': {
    code: 1009,
    before: async (t) => t.uri('/v1/contacts/blocklist?limit=201&offset=0'),
    variants: [
      {
        name: 'negative offset',
        send: (_s, _st, t) => t.resend({ uri: '/v1/contacts/blocklist?limit=10&offset=-1' }),
        code: 1009,
      },
      {
        name: 'limit is not an integer',
        send: (_s, _st, t) => t.resend({ uri: '/v1/contacts/blocklist?limit=ten' }),
        code: 1009,
      },
    ],
  },
  'getBlocklist 401': unauthorized(),

  // GET /v1/contacts/{wa_id}/identity
  'getIdentity 200': {
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.changeIdentity(account.waId); // an unacknowledged change: acknowledged false
      t.uri(identityPath(account.waId));
      return { account };
    },
  },
  'getIdentity 400': {
    code: 1009,
    before: async (t) => t.uri(identityPath('not-a-wa-id')),
    variants: [
      { name: 'a leading zero', send: (_s, _st, t) => t.resend({ uri: identityPath('0163155510') }), code: 1009 },
    ],
  },
  'getIdentity 401': unauthorized(async (t, s) => t.uri(identityPath((await s.freshAccount()).waId))),
  'getIdentity 404': {
    code: 1006,
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.deleteAccount(account.waId);
      t.uri(identityPath(account.waId));
      return { account };
    },
  },

  // PUT /v1/contacts/{wa_id}/identity
  'acknowledgeIdentity 200': {
    before: async (t, s) => {
      const account = await s.freshAccount();
      const hash = await s.changeIdentity(account.waId);
      t.uri(identityPath(account.waId));
      t.json({ hash });
      return { account, hash };
    },
  },
  'acknowledgeIdentity 400': {
    // The spec's first example: a hash that is not the latest one (1009).
    code: 1009,
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.changeIdentity(account.waId);
      t.uri(identityPath(account.waId));
      t.json({ hash: account.hash }); // the hash before the change
      return { account };
    },
    variants: [
      { name: 'no hash (1008)', send: (_s, _st, t) => t.resend({ json: {} }), code: 1008 },
      { name: 'not an identity hash (1009)', send: (_s, _st, t) => t.resend({ json: { hash: 'abc' } }), code: 1009 },
      {
        name: 'not a wa_id (1009)',
        send: (_s, st, t) => t.resend({ uri: identityPath('abc'), json: { hash: st.account.hash } }),
        code: 1009,
      },
    ],
  },
  'acknowledgeIdentity 401': unauthorized(async (t, s) => {
    const account = await s.freshAccount();
    t.uri(identityPath(account.waId));
    t.json({ hash: account.hash });
  }),
  'acknowledgeIdentity 404': {
    code: 1006,
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.deleteAccount(account.waId);
      t.uri(identityPath(account.waId));
      t.json({ hash: account.hash });
    },
  },
  'acknowledgeIdentity 413': tooLarge(
    (pad) => ({ hash: pad }),
    async (t, s) => t.uri(identityPath((await s.freshAccount()).waId)),
  ),

  // POST /v1/contacts/{phone_number}/block
  'blockContact 200': {
    before: async (t, s) => {
      const account = await s.engagedAccount();
      t.uri(phonePath(account.phone, 'block'));
      return { account };
    },
    variants: [
      { name: 'blocking again (keeps its place)', send: (_s, _st, t) => t.resend({}) },
      { name: 'no body', send: (_s, _st, t) => t.resend({ body: '', headers: { 'Content-Type': null } }) },
    ],
    after: async (s, st) => s.unblock(st.account.phone),
  },
  'blockContact 400': {
    // The spec's first example: not engaged in the last 24 hours (2048).
    code: 2048,
    before: async (t, s) => {
      const account = await s.freshAccount(); // has WhatsApp, never wrote in
      t.uri(phonePath(account.phone, 'block'));
      return { account };
    },
    variants: [
      {
        name: 'phone number not usable (1009)',
        send: (_s, _st, t) => t.resend({ uri: phonePath(BAD_PHONE, 'block') }),
        code: 1009,
      },
      {
        name: 'reason of 60 characters (1009)',
        send: async (s, _st, t) => {
          const engaged = await s.engagedAccount();
          return t.resend({ uri: phonePath(engaged.phone, 'block'), json: { reason: TOO_LONG_REASON } });
        },
        code: 1009,
      },
    ],
  },
  'blockContact 401': unauthorized(async (t, s) => t.uri(phonePath((await s.engagedAccount()).phone, 'block'))),
  'blockContact 413': tooLarge(
    (pad) => ({ reason: pad }),
    async (t, s) => t.uri(phonePath((await s.engagedAccount()).phone, 'block')),
  ),

  // POST /v1/contacts/{phone_number}/unblock
  'unblockContact 200': {
    before: async (t, s) => {
      const account = await s.engagedAccount();
      await s.block(account.phone);
      t.uri(phonePath(account.phone, 'unblock'));
      return { account };
    },
    variants: [{ name: 'a contact that is not blocked', send: (_s, _st, t) => t.resend({}) }],
  },
  'unblockContact 400': {
    code: 1009,
    before: async (t) => t.uri(phonePath(BAD_PHONE, 'unblock')),
    variants: [
      {
        name: 'a number too short to dial',
        send: (_s, _st, t) => t.resend({ uri: phonePath('+163155588', 'unblock') }),
        code: 1009,
      },
    ],
  },
  'unblockContact 401': unauthorized(async (t, s) => t.uri(phonePath((await s.freshAccount()).phone, 'unblock'))),
  // Unblock takes no body, but the server still reads what is sent, up to its limit.
  'unblockContact 413': tooLarge(
    (pad) => ({ padding: pad }),
    async (t, s) => t.uri(phonePath((await s.freshAccount()).phone, 'unblock')),
  ),

  // POST /v1/contacts/{phone_number}/report
  'reportContact 200': {
    // The spec's example reports one message and blocks: the message must be one this
    // contact really sent, so its id comes from the sandbox.
    before: async (t, s) => {
      const account = await s.engagedAccount('Buy now');
      t.uri(phonePath(account.phone, 'report'));
      t.json({ ...t.body(), message_id: account.messageId });
      return { account };
    },
    variants: [
      {
        name: 'no body: the last 5 messages, no block',
        send: (_s, _st, t) => t.resend({ body: '', headers: { 'Content-Type': null } }),
      },
    ],
    after: async (s, st) => s.unblock(st.account.phone),
  },
  'reportContact 400': {
    // The spec's first example: not engaged in the last 24 hours (2048).
    code: 2048,
    before: async (t, s) => {
      const account = await s.freshAccount();
      t.uri(phonePath(account.phone, 'report'));
      t.json({ reason: 'Sends spam' });
      return { account };
    },
    variants: [
      {
        name: 'phone number not usable (1009)',
        send: (_s, _st, t) => t.resend({ uri: phonePath(BAD_PHONE, 'report') }),
        code: 1009,
      },
      {
        name: "message_id is not this contact's (1009)",
        send: async (s, _st, t) => {
          const [engaged, other] = [await s.engagedAccount(), await s.engagedAccount()];
          return t.resend({ uri: phonePath(engaged.phone, 'report'), json: { message_id: other.messageId } });
        },
        code: 1009,
      },
      {
        name: 'reason of 60 characters (1009)',
        send: async (s, _st, t) => {
          const engaged = await s.engagedAccount();
          return t.resend({ uri: phonePath(engaged.phone, 'report'), json: { reason: TOO_LONG_REASON } });
        },
        code: 1009,
      },
    ],
  },
  'reportContact 401': unauthorized(async (t, s) => t.uri(phonePath((await s.engagedAccount()).phone, 'report'))),
  'reportContact 413': tooLarge(
    (pad) => ({ reason: pad }),
    async (t, s) => t.uri(phonePath((await s.engagedAccount()).phone, 'report')),
  ),

  // GET /v1/settings/application
  'getApplicationSettings 200': {},
  'getApplicationSettings 401': unauthorized(),

  // PATCH /v1/settings/application
  'updateApplicationSettings 200': {
    // A real change (the opposite of the current value), restored afterwards.
    before: async (t, s) => {
      const original = await s.settings();
      t.json({ show_security_notifications: !original.show_security_notifications });
      return { original };
    },
    after: async (s, st) => s.patchSettings({ show_security_notifications: st.original.show_security_notifications }),
  },
  'updateApplicationSettings 400': {
    code: 1009,
    before: async (t) => t.json({ show_security_notifications: 'yes' }),
    variants: [
      { name: 'empty patch (1009)', send: (_s, _st, t) => t.resend({ json: {} }), code: 1009 },
      {
        name: 'unknown setting (1009)',
        send: (_s, _st, t) => t.resend({ json: { show_security_notifications: true, media: 'on' } }),
        code: 1009,
      },
    ],
  },
  'updateApplicationSettings 401': unauthorized(async (t) => t.json({ show_security_notifications: true })),
  'updateApplicationSettings 413': tooLarge((pad) => ({ show_security_notifications: true, padding: pad })),
};

plans['login 429'] = rateLimited((t) => t.json({}));
plans['logout 429'] = rateLimited(async (t, s) => t.auth(await freshBearer(s)));
for (const operationId of [
  'checkContacts',
  'getBlocklist',
  'getIdentity',
  'acknowledgeIdentity',
  'blockContact',
  'unblockContact',
  'reportContact',
  'getApplicationSettings',
  'updateApplicationSettings',
]) {
  plans[`${operationId} 429`] = rateLimited();
}

/** 500 for every operation: its own 200 set-up, and one fault armed for its operationId. */
for (const key of Object.keys(plans).filter((k) => k.endsWith(' 200'))) {
  const operationId = key.slice(0, -' 200'.length);
  const ok = plans[key];
  plans[`${operationId} 500`] = {
    code: 1014,
    before: async (t, s) => {
      const state = (await ok.before?.(t, s)) ?? {};
      await s.ok('POST', '/sandbox/faults', { json: { operation_id: operationId, count: 1 } });
      return state;
    },
    after: ok.after,
  };
}

module.exports = { plans, OVERSIZE };
