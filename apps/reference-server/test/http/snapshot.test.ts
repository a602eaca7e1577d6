import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/domain/snapshot.js';
import { LARGE_ARRAY_SIZE } from '../../src/http/serialization.js';
import { sandboxSpec } from '../../src/specs.js';
import { DEFAULT_SETTINGS } from '../../src/storage/repositories/settings.js';
import { expectError } from '../support/errors.js';
import { type Harness, HOUR_MS, START_TIMEOUT, startServer, useServer } from '../support/harness.js';
import { itemByItemSerializer } from '../support/item-by-item.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

const itemByItem = itemByItemSerializer(sandboxSpec, '/sandbox/snapshot', 'get');

// GET and PUT /sandbox/snapshot on both databases: the whole state out, changed, put back.
eachStorage([pgliteMemory, postgres], (target) => {
  const h = useServer({ target });

  const exported = async (): Promise<Snapshot> => {
    const res = await h.api.call('exportSnapshot');
    expect(res.status, res.text).toBe(200);
    return (res.body as { snapshot: Snapshot }).snapshot;
  };
  const restore = (snapshot: unknown) => h.api.call('restoreSnapshot', { body: snapshot as Snapshot });
  const call = async (operation: Parameters<Harness['api']['call']>[0], options: object) => {
    const res = await h.api.call(operation, options);
    expect(res.status, res.text).toBe(200);
    return res.body as Record<string, unknown>;
  };
  const blocklist = async () =>
    ((await call('getBlocklist', {})) as { contacts: Array<{ wa_id: string }> }).contacts.map((c) =>
      c.wa_id.replace('@s.whatsapp.net', ''),
    );

  it('exports what the routes made, and a restore after changes gives it back exactly', async () => {
    const identity = await h.sandbox.register('16315550201', 'Rc/eg9RQ0JA=');
    await h.sandbox.deleteAccount('16315550202');
    const messageId = await h.sandbox.inbound('16315550203', { text: 'Hi there' });
    await call('blockContact', { params: { phone_number: '+16315550203' }, body: { reason: 'Spam' } });
    await h.sandbox.inbound('16315550204');
    await call('blockContact', { params: { phone_number: '+16315550204' }, body: {} });
    await call('checkContacts', { body: { blocking: 'wait', contacts: ['+16315550205'] } });
    await call('updateApplicationSettings', { body: { show_security_notifications: true } });

    const before = await exported();
    expect(before.settings).toEqual({ ...DEFAULT_SETTINGS, show_security_notifications: true });
    expect(before.accounts.map((a) => [a.wa_id, a.has_account, a.identity_hash])).toEqual([
      ['16315550201', true, 'Rc/eg9RQ0JA='],
      ['16315550202', false, null],
      // A sender gets an account with the identity derived from its number.
      ['16315550203', true, expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/)],
      ['16315550204', true, expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/)],
    ]);
    expect(before.accounts[0]!.identity_created_at).toBe(identity.created_timestamp);
    expect(before.inbound_messages.map((m) => [m.id, m.wa_id, m.body])).toEqual([
      [messageId, '16315550203', 'Hi there'],
      [before.inbound_messages[1]!.id, '16315550204', 'hello'],
    ]);
    expect(before.blocks.map((b) => [b.wa_id, b.reason])).toEqual([
      ['16315550203', 'Spam'],
      ['16315550204', null],
    ]);
    expect(before.contact_checks.map((c) => [c.wa_id, c.status])).toEqual([['16315550205', 'valid']]);
    expect(before.misuse).toMatchObject({ state: 'warned', counts: [{ checked: 1, sent: 0 }] });

    // Everything changes: another account, the blocklist, the cache, settings, misuse, the clock.
    await h.sandbox.register('16315550206');
    await call('unblockContact', { params: { phone_number: '+16315550203' }, body: {} });
    await call('checkContacts', { body: { blocking: 'wait', contacts: ['+16315550207'] } });
    await call('updateApplicationSettings', { body: { show_security_notifications: false } });
    await call('resetMisuse', {});
    await h.sandbox.advanceClock(HOUR_MS);
    expect(await blocklist()).toEqual(['16315550204']);

    const res = await restore(before);
    expect(res.status, res.text).toBe(200);
    // The clock never goes back: it stays an hour ahead of the snapshot.
    expect((res.body as { now: number }).now).toBeGreaterThanOrEqual(before.now + HOUR_MS);
    const after = await exported();
    expect({ ...after, now: before.now }).toEqual(before);
    expect(await blocklist()).toEqual(['16315550203', '16315550204']);
    // The cache in memory follows the table: 16315550207, checked after the snapshot, is asked again.
    await call('checkContacts', { body: { blocking: 'wait', contacts: ['+16315550205', '+16315550207'] } });
    expect(await call('getMisuse', {})).toMatchObject({ checked: 2, sent: 0 });
    expect(await call('getApplicationSettings', {})).toMatchObject({
      settings: { application: { show_security_notifications: true } },
    });
  });

  it('moves the clock forward to a snapshot taken later', async () => {
    const snapshot = await exported();
    const later = snapshot.now + 48 * HOUR_MS;
    const res = await restore({ ...snapshot, now: later });
    expect(res.status, res.text).toBe(200);
    expect((res.body as { now: number }).now).toBeGreaterThanOrEqual(later);
    expect((await exported()).now).toBeGreaterThanOrEqual(later);
  });

  it(`exports tables of ${LARGE_ARRAY_SIZE} rows and more exactly as the spec's item-by-item serialiser writes them`, async () => {
    const { now } = await exported();
    const rows = LARGE_ARRAY_SIZE + 200;
    const waId = (i: number) => `1631557${String(i).padStart(4, '0')}`;
    const at = (i: number) => now - i * 1000;
    const big: Snapshot = {
      now,
      settings: DEFAULT_SETTINGS,
      accounts: Array.from({ length: rows }, (_, i) => ({
        wa_id: waId(i),
        has_account: i % 3 !== 0,
        identity_hash: i % 2 === 0 ? null : 'Rc/eg9RQ0JA=',
        identity_created_at: i % 2 === 0 ? null : at(i),
        identity_acknowledged: i % 4 === 1,
        updated_at: at(i),
      })),
      inbound_messages: Array.from({ length: rows }, (_, i) => ({
        id: `wamid.${i}`,
        wa_id: waId(i),
        body: `hello "${i}"`,
        received_at: at(i),
      })),
      blocks: Array.from({ length: rows }, (_, i) => ({
        wa_id: waId(i),
        reason: i % 2 === 0 ? null : 'Spam',
        blocked_at: at(i),
      })),
      contact_checks: Array.from({ length: rows }, (_, i) => ({
        wa_id: waId(i),
        status: i % 2 === 0 ? 'valid' : 'invalid',
        checked_at: at(i),
      })),
      reports: Array.from({ length: rows }, (_, i) => ({
        wa_id: waId(i),
        reason: i % 2 === 0 ? null : 'Spam',
        block: i % 2 === 0,
        reported_at: at(i),
        message_ids: [`wamid.${i}`],
      })),
      misuse: {
        state: 'ok',
        warned_at: null,
        disabled_at: null,
        counts: Array.from({ length: rows }, (_, i) => ({ day: i, checked: i, sent: 0 })),
      },
    };
    const put = await restore(big);
    expect(put.status, put.text).toBe(200);
    const res = await h.api.call('exportSnapshot');
    expect(res.status, res.text).toBe(200);
    const { snapshot } = res.body as { snapshot: Snapshot };
    for (const table of ['accounts', 'inbound_messages', 'blocks', 'contact_checks', 'reports'] as const)
      expect(snapshot[table], table).toHaveLength(rows);
    // An item JSON.stringify copied with a property or a type the schema does not have comes out otherwise.
    const body = JSON.parse(res.text);
    expect(JSON.parse(itemByItem(body))).toEqual(body);
  });

  it('refuses a wa_id twice (1009) and leaves the state as it was', async () => {
    const snapshot = await exported();
    const block = { wa_id: '16315550299', reason: null, blocked_at: snapshot.now };
    const res = await restore({ ...snapshot, blocks: [block, block] });
    expectError(res, 400, 1009, 'blocks has 16315550299 twice.');
    expect({ ...(await exported()), now: snapshot.now }).toEqual(snapshot);
  });

  it('refuses a count beyond a safe integer (1009), not a 500 from the database', async () => {
    const snapshot = await exported();
    const counts = [{ day: 1, checked: 1e20, sent: 0 }];
    const res = await restore({ ...snapshot, misuse: { ...snapshot.misuse, counts } });
    expectError(res, 400, 1009);
  });

  it('refuses a time before the epoch, which GET identity could not show', async () => {
    const snapshot = await exported();
    const account = {
      wa_id: '16315550298',
      has_account: true,
      identity_hash: 'Rc/eg9RQ0JA=',
      identity_created_at: -977746926340644,
      identity_acknowledged: true,
      updated_at: snapshot.now,
    };
    const res = await restore({ ...snapshot, accounts: [account] });
    expectError(res, 400, 1009);
    // Not restored: the number keeps the identity derived from it, created at a time GET can show.
    const identity = await h.api.call('getIdentity', { params: { wa_id: '16315550298' } });
    expect(identity.status, identity.text).toBe(200);
    const { hash, created_timestamp } = (identity.body as { contacts: { hash: string; created_timestamp: number } })
      .contacts;
    expect(hash).not.toBe('Rc/eg9RQ0JA=');
    expect(created_timestamp).toBeGreaterThanOrEqual(0);
  });

  it('refuses what the schema does not allow (1008), e.g. a missing list', async () => {
    const { blocks: _, ...snapshot } = await exported();
    expectError(await restore(snapshot), 400, 1008);
  });
});

describe('a snapshot restored into an empty server', () => {
  it(
    'gives the same export',
    async () => {
      const a = await startServer();
      const b = await startServer();
      try {
        await a.sandbox.inbound('16315550301');
        await a.api.call('blockContact', { params: { phone_number: '+16315550301' }, body: { reason: 'x' } });
        const snapshot = ((await a.api.call('exportSnapshot')).body as { snapshot: Snapshot }).snapshot;
        expect((await b.api.call('restoreSnapshot', { body: snapshot })).status).toBe(200);
        const copy = ((await b.api.call('exportSnapshot')).body as { snapshot: Snapshot }).snapshot;
        expect({ ...copy, now: snapshot.now }).toEqual(snapshot);
      } finally {
        await a.close();
        await b.close();
      }
    },
    START_TIMEOUT,
  );
});
