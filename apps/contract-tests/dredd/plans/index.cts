// How each transaction (operation × documented status) is provoked.
//
// Dredd sends the spec's one example request for every status of an operation; each plan below
// prepares the state through the sandbox and rewrites that request so the server has to answer
// with the status under test (see plan.cts). Every set-up uses fresh random accounts, so no
// transaction depends on another's order. The 401, 413, 429 and 500 plans come from kinds.cts;
// every operation gets a 429 plan and, from its 200 plan, a 500 plan.
import {
  atEngaged,
  atFresh,
  failing,
  identityPath,
  ownToken,
  phonePath,
  rateLimited,
  tooLarge,
  unauthorized,
} from './kinds.cjs';
import { type Plan, resend } from './plan.cjs';

const DAY_MS = 86_400_000;
const TOO_LONG_REASON = 'r'.repeat(60); // the spec: at most 59 characters
const BAD_PHONE = { phone: 'not-a-phone-number' };
const [block, unblock, report] = [phonePath('block'), phonePath('unblock'), phonePath('report')];
const noBody = { body: '', headers: { 'Content-Type': null } };

const explicit: Record<string, Plan> = {
  // POST /v1/users/login (HTTP Basic; the hooks put the valid credentials in)
  // No new_password: logging in must not change the password of the target's account.
  'login 200': { before: async (t) => t.json({}) },
  'login 400': {
    // Dredd's 400 carries the spec's first example, 1024 (first login without new_password).
    // Only an account that still has its factory password answers it: run.cts starts a second,
    // factory-fresh reference server for this one request when it starts its own; against
    // CONTRACT_TARGET alone, the 400 is the other documented cause (weak password).
    before: async (t) => {
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
        when: (state) => state.firstLogin === true,
        send: (s, _state, t) => t.resend({ authorization: s.basic, json: { new_password: 'weak' } }),
        code: 1009,
      },
      {
        name: 'unknown field in the body (1009)',
        send: (s, _state, t) => t.resend({ authorization: s.basic, json: { password: 'x' } }),
        code: 1009,
      },
    ],
  },
  'login 401': {
    code: 1005,
    before: async (t, s) => t.auth(t.basicAuth(s.username, `${s.password}-wrong`)),
    variants: [
      {
        name: 'unknown user',
        send: (s, _state, t) => t.resend({ authorization: t.basicAuth(`${s.username}-nobody`, s.password) }),
      },
      resend('no Authorization header', { authorization: null }),
      { name: 'a bearer token instead of Basic', send: (s, _state, t) => t.resend({ authorization: s.bearer }) },
    ],
  },
  'login 413': tooLarge((pad) => ({ new_password: pad })),
  'login 429': rateLimited(async (t) => t.json({})),

  // POST /v1/users/logout: every plan logs out a token of its own, never the session's.
  'logout 200': {
    before: async (t, s) => {
      await ownToken(t, s);
      t.noBody();
    },
    variants: [
      {
        // Meta's Postman collection (v2.23, "Logout-User") sends exactly this.
        name: 'Content-Type: application/json and an empty body',
        send: async (s, _state, t) =>
          t.resend({ authorization: await s.freshBearer(), headers: { 'Content-Type': 'application/json' }, body: '' }),
      },
    ],
  },
  'logout 401': {
    ...unauthorized(),
    variants: [
      resend('no Authorization header', { authorization: null }),
      {
        name: 'a token already logged out',
        send: async (s, _state, t) => {
          const bearer = await s.freshBearer();
          const first = await s.request('POST', '/v1/users/logout', { authorization: bearer });
          if (first.status !== 200) throw new Error(`set-up logout failed: ${first.status} ${first.text}`);
          return t.resend({ authorization: bearer });
        },
      },
    ],
  },
  // Logout takes no body, but the server still reads what is sent, up to its limit.
  'logout 413': tooLarge((pad) => ({ padding: pad }), ownToken),
  'logout 429': rateLimited(ownToken),

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
      resend('blocking: wait, force_check: true', {
        json: { blocking: 'wait', force_check: true, contacts: ['16315551000', '+1 (631) 555-1004', 'abc'] },
      }),
    ],
  },
  'checkContacts 400': {
    code: 1009,
    before: async (t) => t.json({ blocking: 'later', contacts: ['16315551000'] }),
    variants: [
      resend('no contacts (1008)', { json: { blocking: 'wait' } }, 1008),
      resend('no body at all (1008)', { body: '' }, 1008),
      resend(
        'more than 10,000 numbers (1009)',
        {
          json: {
            contacts: Array.from({ length: 10_001 }, (_, i) => `+1631555${String(i % 10_000).padStart(4, '0')}`),
          },
        },
        1009,
      ),
      resend('empty contacts list (1009)', { json: { contacts: [] } }, 1009),
      resend('force_check is not a boolean (1009)', { json: { contacts: ['16315551000'], force_check: 'true' } }, 1009),
      resend('malformed JSON (1009)', { body: '{"contacts": [' }, 1009),
    ],
  },
  'checkContacts 403': {
    // Meta's misuse rule, enforced (run.cts): checks without sends warn; still over the rule
    // seven days later on the sandbox clock, the number is disabled (1031). A number checked on
    // each of those days keeps the 7-day window over the rule; each day a new login, since a
    // token lasts 7 days. The rule's state is reset before and after.
    code: 1031,
    before: async (t, s) => {
      await s.ok('DELETE', '/sandbox/misuse');
      for (let day = 0; day <= 7; day++) {
        if (day > 0) {
          await s.ok('POST', '/sandbox/clock', { json: { advance_ms: DAY_MS } });
          await s.renew();
        }
        if (day === 7) break; // the grace period has ended: this check would be refused already
        const { phone } = await s.freshAccount();
        await s.ok('POST', '/v1/contacts', { json: { blocking: 'wait', force_check: true, contacts: [phone] } });
      }
      const misuse = await s.ok('GET', '/sandbox/misuse');
      if (misuse.state !== 'disabled') throw new Error(`set-up: the misuse rule is ${JSON.stringify(misuse)}`);
      t.auth(s.bearer);
    },
    after: async (s) => {
      await s.ok('DELETE', '/sandbox/misuse');
    },
  },
  'checkContacts 413': tooLarge((pad) => ({ contacts: [pad] })),

  // GET /v1/contacts/blocklist
  'getBlocklist 200': {
    // At least one blocked contact, so the page has an entry to check.
    before: async (_t, s) => {
      const account = await s.engagedAccount();
      await s.block(account.phone, 'Contract test');
      return { account };
    },
    variants: [resend('defaults (no limit, no offset)', { uri: '/v1/contacts/blocklist' })],
    after: async (s, state) => s.unblock(state.account!.phone),
  },
  'getBlocklist 400': {
    code: 1009,
    before: async (t) => t.uri('/v1/contacts/blocklist?limit=201&offset=0'),
    variants: [
      resend('negative offset', { uri: '/v1/contacts/blocklist?limit=10&offset=-1' }, 1009),
      resend('limit is not an integer', { uri: '/v1/contacts/blocklist?limit=ten' }, 1009),
    ],
  },

  // GET /v1/contacts/{wa_id}/identity
  'getIdentity 200': {
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.changeIdentity(account.waId); // an unacknowledged change: acknowledged false
      t.uri(identityPath(account));
      return { account };
    },
  },
  'getIdentity 400': {
    code: 1009,
    before: async (t) => t.uri(identityPath({ waId: 'not-a-wa-id' })),
    variants: [resend('a leading zero', { uri: identityPath({ waId: '0163155510' }) }, 1009)],
  },
  'getIdentity 401': unauthorized(atFresh(identityPath)),
  'getIdentity 404': {
    code: 1006,
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.deleteAccount(account.waId);
      t.uri(identityPath(account));
    },
  },

  // PUT /v1/contacts/{wa_id}/identity
  'acknowledgeIdentity 200': {
    before: async (t, s) => {
      const account = await s.freshAccount();
      const hash = await s.changeIdentity(account.waId);
      t.uri(identityPath(account));
      t.json({ hash });
    },
  },
  'acknowledgeIdentity 400': {
    // The spec's first example: a hash that is not the latest one (1009).
    code: 1009,
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.changeIdentity(account.waId);
      t.uri(identityPath(account));
      t.json({ hash: account.hash }); // the hash before the change
      return { account };
    },
    variants: [
      resend('no hash (1008)', { json: {} }, 1008),
      resend('not an identity hash (1009)', { json: { hash: 'abc' } }, 1009),
      {
        name: 'not a wa_id (1009)',
        send: (_s, state, t) => t.resend({ uri: identityPath({ waId: 'abc' }), json: { hash: state.account!.hash } }),
        code: 1009,
      },
    ],
  },
  'acknowledgeIdentity 401': unauthorized(async (t, s) => {
    const account = await s.freshAccount();
    t.uri(identityPath(account));
    t.json({ hash: account.hash });
  }),
  'acknowledgeIdentity 404': {
    code: 1006,
    before: async (t, s) => {
      const account = await s.freshAccount();
      await s.deleteAccount(account.waId);
      t.uri(identityPath(account));
      t.json({ hash: account.hash });
    },
  },
  'acknowledgeIdentity 413': tooLarge((pad) => ({ hash: pad }), atFresh(identityPath)),

  // POST /v1/contacts/{phone_number}/block
  'blockContact 200': {
    before: async (t, s) => {
      const account = await s.engagedAccount();
      t.uri(block(account));
      return { account };
    },
    variants: [resend('blocking again (keeps its place)', {}), resend('no body', noBody)],
    after: async (s, state) => s.unblock(state.account!.phone),
  },
  'blockContact 400': {
    // The spec's first example: not engaged in the last 24 hours (2048).
    code: 2048,
    before: atFresh(block), // has WhatsApp, never wrote in
    variants: [
      resend('phone number not usable (1009)', { uri: block(BAD_PHONE) }, 1009),
      {
        name: 'reason of 60 characters (1009)',
        send: async (s, _state, t) =>
          t.resend({ uri: block(await s.engagedAccount()), json: { reason: TOO_LONG_REASON } }),
        code: 1009,
      },
    ],
  },
  'blockContact 401': unauthorized(atEngaged(block)),
  'blockContact 413': tooLarge((pad) => ({ reason: pad }), atEngaged(block)),

  // POST /v1/contacts/{phone_number}/unblock
  'unblockContact 200': {
    before: async (t, s) => {
      const account = await s.engagedAccount();
      await s.block(account.phone);
      t.uri(unblock(account));
    },
    variants: [resend('a contact that is not blocked', {})],
  },
  'unblockContact 400': {
    code: 1009,
    before: async (t) => t.uri(unblock(BAD_PHONE)),
    variants: [resend('a number too short to dial', { uri: unblock({ phone: '+163155588' }) }, 1009)],
  },
  'unblockContact 401': unauthorized(atFresh(unblock)),
  // Unblock takes no body, but the server still reads what is sent, up to its limit.
  'unblockContact 413': tooLarge((pad) => ({ padding: pad }), atFresh(unblock)),

  // POST /v1/contacts/{phone_number}/report
  'reportContact 200': {
    // The spec's example reports one message and blocks: the message must be one this contact
    // really sent, so its id comes from the sandbox.
    before: async (t, s) => {
      const account = await s.engagedAccount('Buy now');
      t.uri(report(account));
      t.json({ ...t.body(), message_id: account.messageId });
      return { account };
    },
    variants: [resend('no body: the last 5 messages, no block', noBody)],
    after: async (s, state) => s.unblock(state.account!.phone),
  },
  'reportContact 400': {
    // The spec's first example: not engaged in the last 24 hours (2048).
    code: 2048,
    before: async (t, s) => {
      t.uri(report(await s.freshAccount()));
      t.json({ reason: 'Sends spam' });
    },
    variants: [
      resend('phone number not usable (1009)', { uri: report(BAD_PHONE) }, 1009),
      {
        name: "message_id is not this contact's (1009)",
        send: async (s, _state, t) => {
          const [engaged, other] = [await s.engagedAccount(), await s.engagedAccount()];
          return t.resend({ uri: report(engaged), json: { message_id: other.messageId } });
        },
        code: 1009,
      },
      {
        name: 'reason of 60 characters (1009)',
        send: async (s, _state, t) =>
          t.resend({ uri: report(await s.engagedAccount()), json: { reason: TOO_LONG_REASON } }),
        code: 1009,
      },
    ],
  },
  'reportContact 401': unauthorized(atEngaged(report)),
  'reportContact 413': tooLarge((pad) => ({ reason: pad }), atEngaged(report)),

  // DELETE /v1/settings/application: every setting back to its default (none of the plans needs another).
  'resetApplicationSettings 200': {},

  // GET /v1/health
  'health 200': {},

  // GET /v1/settings/application
  'getApplicationSettings 200': {},

  // PATCH /v1/settings/application
  'updateApplicationSettings 200': {
    // A real change (the opposite of the current value), restored afterwards.
    before: async (t, s) => {
      const original = await s.settings();
      t.json({ show_security_notifications: !original.show_security_notifications });
      return { original };
    },
    after: async (s, state) =>
      s.patchSettings({ show_security_notifications: state.original!.show_security_notifications }),
  },
  'updateApplicationSettings 400': {
    code: 1009,
    before: async (t) => t.json({ show_security_notifications: 'yes' }),
    variants: [
      resend('empty patch (1009)', { json: {} }, 1009),
      resend('unknown setting (1009)', { json: { show_security_notifications: true, media: 'on' } }, 1009),
    ],
  },
  'updateApplicationSettings 401': unauthorized(async (t) => t.json({ show_security_notifications: true })),
  'updateApplicationSettings 413': tooLarge((pad) => ({ show_security_notifications: true, padding: pad })),
};

/** Each plan by `operationId status`: the ones above, and a 401, 429 and 500 for each operation that has none. */
export const plans: Record<string, Plan> = { ...explicit };
for (const key of Object.keys(explicit).filter((k) => k.endsWith(' 200'))) {
  const operationId = key.slice(0, -' 200'.length);
  plans[`${operationId} 401`] ??= unauthorized();
  plans[`${operationId} 429`] ??= rateLimited();
  plans[`${operationId} 500`] = failing(operationId, explicit[key]!);
}
