import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FuzzRequest } from '../fuzz/arbitraries.js';
import { FuzzTarget } from '../fuzz/harness.js';
import { Oracle } from '../fuzz/oracle.js';

/**
 * What the fuzzing found, each as the minimal request that showed it (the shrunk
 * counterexample), judged by the same oracle: these stay as regression tests.
 */

let target: FuzzTarget;
const oracle = new Oracle();

beforeAll(async () => {
  target = await FuzzTarget.start();
}, 60_000);

afterAll(async () => {
  await target?.close();
});

/** A valid-looking request of an operation, with the given parts. */
function request(operationId: string, parts: Partial<FuzzRequest> = {}): FuzzRequest {
  const op = oracle.operation(operationId);
  return {
    operationId,
    document: op.document,
    kind: 'valid',
    breakage: '',
    method: op.method,
    path: op.path,
    params: {},
    query: [],
    body: { kind: 'none' },
    auth: { mode: 'valid' },
    ...parts,
  };
}

async function judge(req: FuzzRequest, on: FuzzTarget = target) {
  const { sent, response } = await on.send(req);
  return { response, problems: oracle.check(req, sent, response) };
}

describe('fuzzing findings', () => {
  it('getBlocklist: an offset past PostgreSQL bigint (still a JSON integer, no maximum in the spec) is an empty page, not a 500', async () => {
    for (const offset of ['9223372036854775808', '99999999999999999999999999999']) {
      const { response, problems } = await judge(request('getBlocklist', { query: [['offset', offset]] }));
      expect(problems, `offset=${offset}: ${response.text}`).toEqual([]);
      expect(response.status).toBe(200);
      expect((response.json as { contacts: unknown[] }).contacts).toEqual([]);
    }
    // Written in decimal digits only: an exponent is not an integer parameter (400).
    for (const offset of ['1e300', '7.624429971347621e+88']) {
      const { response, problems } = await judge(request('getBlocklist', { query: [['offset', offset]] }));
      expect(problems, `offset=${offset}: ${response.text}`).toEqual([]);
      expect(response.status).toBe(400);
    }
  });

  it('getBlocklist: offset=Infinity is not an integer (400), not a 500', async () => {
    for (const [name, value] of [
      ['offset', 'Infinity'],
      ['offset', '-Infinity'],
      ['limit', 'Infinity'],
    ] as const) {
      const { response, problems } = await judge(request('getBlocklist', { query: [[name, value]] }));
      expect(problems, `${name}=${value}: ${response.text}`).toEqual([]);
      expect(response.status).toBe(400);
    }
  });

  it('login, registerAccount, blockContact, reportContact: an optional body sent empty with Content-Type: application/json is no body, not a missing one (1008)', async () => {
    const empty = { kind: 'text', text: '', contentType: 'application/json' } as const;
    const { response, problems } = await judge(request('login', { body: empty }));
    expect(problems, response.text).toEqual([]);
    expect(response.status).toBe(200);
    const registered = await judge(request('registerAccount', { params: { wa_id: '16315551000' }, body: empty }));
    expect(registered.problems, registered.response.text).toEqual([]);
    expect(registered.response.status).toBe(200);
    for (const id of ['blockContact', 'reportContact']) {
      const { response: r } = await judge(request(id, { params: { phone_number: '+16315551000' }, body: empty }));
      expect(r.json, `${id}: ${r.text}`).not.toMatchObject({ errors: [{ code: 1008 }] });
    }
  });

  it("logout of the harness's own token, and a password change (which revokes it): the next request logs in again", async () => {
    const settings = request('getApplicationSettings');
    const logout = await judge(
      request('logout', { body: { kind: 'text', text: '', contentType: 'application/json' } }),
    );
    expect(logout.problems, logout.response.text).toEqual([]);
    expect(logout.response.status).toBe(200);
    expect((await judge(settings)).response.status).toBe(200);
    const changed = await judge(
      request('login', {
        body: { kind: 'json', value: { new_password: 'Fuzz-Ch4nged-1!' }, contentType: 'application/json' },
      }),
    );
    expect(changed.response.status, changed.response.text).toBe(200);
    expect((await judge(settings)).response.status).toBe(200);
  });

  it('sendMessage: a body without `to` is refused with 1008, which the 400 schema of the send must allow', async () => {
    const { response, problems } = await judge(
      request('sendMessage', { body: { kind: 'json', value: {}, contentType: 'application/json' } }),
    );
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ errors: [{ code: 1008 }] });
    expect(problems, response.text).toEqual([]);
  });
  it('U+0000 in a string PostgreSQL would store or look up (a settings PATCH too) is 1009 (401 in a Basic username), not a 500', async () => {
    const json = (value: unknown) => ({ kind: 'json', value, contentType: 'application/json' }) as const;
    const engaged = await judge(request('receiveMessage', { body: json({ from: '16315551000', text: 'engaged' }) }));
    expect(engaged.response.status, engaged.response.text).toBe(200);
    const cases: Array<[FuzzRequest, number]> = [
      [
        request('reportContact', {
          params: { phone_number: '+16315551000' },
          body: json({ message_id: '+1 (631) 555-1004\u0000' }),
        }),
        400,
      ],
      [
        request('reportContact', { params: { phone_number: '+16315551000' }, body: json({ reason: 'spam\u0000' }) }),
        400,
      ],
      [request('blockContact', { params: { phone_number: '+16315551000' }, body: json({ reason: '\u0000' }) }), 400],
      [request('receiveMessage', { body: json({ from: '16315551000', text: 'a\u0000b' }) }), 400],
      [request('receiveMessage', { body: json({ from: '16315551000', text: 'a', id: 'x\u0000' }) }), 400],
      [request('login', { auth: { mode: 'unknown-user', username: 'ad\u0000min' } }), 401],
      [
        request('updateApplicationSettings', {
          body: json({ garbagecollector_enable: {}, on_call_pager: '+1 (631) 555-1004\u0000' }),
        }),
        400,
      ],
    ];
    for (const [req, status] of cases) {
      const { response, problems } = await judge(req);
      expect(problems, `${req.operationId} ${JSON.stringify(req.body)}: ${response.text}`).toEqual([]);
      expect(response.status, response.text).toBe(status);
    }
  });

  it('advanceClock: the clock cannot pass the last time a token expiry can show (year 9999); log-in keeps its expires_after format', async () => {
    // Each advance is valid (at most 100 years); together they used to reach year 10046,
    // where expires_after came out as "+010046-05-22 05:31+00:00".
    const own = await FuzzTarget.start();
    try {
      const max = (
        oracle.operation('advanceClock').requestBody!.content['application/json']!.value as {
          properties: { advance_ms: { maximum: number } };
        }
      ).properties.advance_ms.maximum;
      let last: { status: number; text: string } | undefined;
      for (let i = 0; i < 100; i++) {
        const { response, problems } = await judge(
          request('advanceClock', {
            body: { kind: 'json', value: { advance_ms: max }, contentType: 'application/json' },
          }),
          own,
        );
        expect(problems, response.text).toEqual([]);
        last = response;
        if (response.status !== 200) break;
      }
      expect(last?.status, last?.text).toBe(400);
      expect(JSON.parse(last!.text)).toMatchObject({ errors: [{ code: 1009 }] });
      const { response, problems } = await judge(request('login'), own);
      expect(problems, response.text).toEqual([]);
      expect(response.status).toBe(200);
    } finally {
      await own.close();
    }
  }, 60_000);
});
