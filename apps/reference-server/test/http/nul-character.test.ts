import { expect, it } from 'vitest';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

/**
 * PostgreSQL text and jsonb cannot hold U+0000 (SQLSTATE 22021 and 22P05, on PGlite too).
 * A string that would be stored and carries one is refused with 1009 before anything is
 * stored, never a 500 (found by the fuzzer: `on_call_pager` in a settings PATCH, which the
 * spec's pattern now refuses).
 */
const NUL_DETAILS = /U\+0000/;

eachStorage([pgliteMemory, postgres], (target) => {
  const h = useServer({ target });

  it('a settings PATCH with U+0000 in a stored string is 1009 and changes nothing', async () => {
    const before = await h.api.call('getApplicationSettings');
    for (const [body, field] of [
      [{ on_call_pager: '+1 (631) 555-1004\u0000' }, 'on_call_pager'],
      [{ callback_backoff_delay_ms: 200, on_call_pager: '\u0000' }, 'on_call_pager'],
    ] as const) {
      expectError(
        await h.api.call('updateApplicationSettings', { body } as never),
        400,
        1009,
        `body/${field} must match pattern "^[^\\u0000]*$"`,
      );
    }
    const after = await h.api.call('getApplicationSettings');
    expect(after.body).toEqual(before.body);
  });

  it('a snapshot whose settings carry U+0000 is 1009 and restores nothing', async () => {
    await h.api.call('updateApplicationSettings', { body: { on_call_pager: '16315552000' } });
    const { snapshot } = (await h.api.call('exportSnapshot')).body as { snapshot: { now: number; settings: object } };
    const broken = { ...snapshot, settings: { ...snapshot.settings, on_call_pager: 'x\u0000' } };
    expectError(
      await h.api.call('restoreSnapshot', { body: broken } as never),
      400,
      1009,
      /^body\/settings\/on_call_pager must match pattern/,
    );
    const after = ((await h.api.call('exportSnapshot')).body as { snapshot: typeof snapshot }).snapshot;
    expect({ ...after, now: 0 }).toEqual({ ...snapshot, now: 0 });
  });

  it('a check with U+0000 in an input answers that input failed and the others as usual', async () => {
    const body = { blocking: 'wait', contacts: ['+1 631 555 2001', '+1 631 555 2002\u0000'] };
    const res = await h.api.call('checkContacts', { body } as never);
    expect(res.status, res.text).toBe(200);
    expect((res.body as { contacts: unknown[] }).contacts).toEqual([
      { input: '+1 631 555 2001', status: 'valid', wa_id: '16315552001' },
      { input: '+1 631 555 2002\u0000', status: 'failed' },
    ]);
  });

  it('an inbound message with U+0000 in its text or id is 1009', async () => {
    await h.sandbox.register('16315552010');
    expectError(
      await h.api.call('receiveMessage', { body: { from: '16315552010', text: 'hi\u0000' } } as never),
      400,
      1009,
      NUL_DETAILS,
    );
    expectError(
      await h.api.call('receiveMessage', { body: { from: '16315552010', text: 'hi', id: 'wamid.\u0000' } } as never),
      400,
      1009,
      NUL_DETAILS,
    );
    // The account is untouched: a clean message still goes through.
    await h.sandbox.inbound('16315552010');
  });

  it('a login with U+0000 in the username or password is 401, as any wrong credential', async () => {
    for (const basic of [
      { username: 'admin\u0000', password: 'secret' },
      { username: 'admin', password: 'secret\u0000' },
    ]) {
      const res = await h.api.call('login', { basic } as never);
      expect(res.status, res.text).toBe(401);
    }
  });
});
