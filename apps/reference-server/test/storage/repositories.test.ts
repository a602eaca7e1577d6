import { beforeEach, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
/** The admin as first stored: a password to change at first login. */
const ADMIN = { username: 'admin', passwordHash: 'scrypt$a', mustChangePassword: true, updatedAt: T0 };

eachTarget((target) => {
  const { db } = useDatabase(target);
  /** Every stored block with what the blocklist does not show, in blocking order. */
  const storedBlocks = async () => (await repo.readSnapshotTables(db)).blocks;

  beforeEach(() => resetTables(db));

  describe('users', () => {
    it('gets nothing for an unknown user', async () => {
      expect(await repo.getUser(db, 'admin')).toBeNull();
    });

    it('inserts, then replaces on upsert', async () => {
      await repo.upsertUser(db, ADMIN);
      expect(await repo.getUser(db, 'admin')).toEqual(ADMIN);
      await repo.upsertUser(db, {
        username: 'admin',
        passwordHash: 'scrypt$b',
        mustChangePassword: false,
        updatedAt: T0 + 1,
      });
      expect(await repo.getUser(db, 'admin')).toEqual({
        username: 'admin',
        passwordHash: 'scrypt$b',
        mustChangePassword: false,
        updatedAt: T0 + 1,
      });
    });

    it('sets a password and lifts must_change_password', async () => {
      await repo.upsertUser(db, ADMIN);
      expect(
        await repo.setPassword(db, { username: 'admin', oldHash: 'scrypt$a', passwordHash: 'scrypt$new', now: T0 + 5 }),
      ).toBe(true);
      expect(await repo.getUser(db, 'admin')).toEqual({
        username: 'admin',
        passwordHash: 'scrypt$new',
        mustChangePassword: false,
        updatedAt: T0 + 5,
      });
      expect(await repo.setPassword(db, { username: 'ghost', oldHash: 'scrypt$a', passwordHash: 'x', now: T0 })).toBe(
        false,
      );
      expect(await repo.getUser(db, 'ghost')).toBeNull();
    });

    it('changes a password only from the hash the caller verified: a second change from it loses', async () => {
      await repo.upsertUser(db, ADMIN);
      expect(
        await repo.setPassword(db, { username: 'admin', oldHash: 'scrypt$a', passwordHash: 'scrypt$b', now: T0 + 1 }),
      ).toBe(true);
      expect(
        await repo.setPassword(db, { username: 'admin', oldHash: 'scrypt$a', passwordHash: 'scrypt$c', now: T0 + 2 }),
      ).toBe(false);
      expect((await repo.getUser(db, 'admin'))?.passwordHash).toBe('scrypt$b');
    });
  });

  describe('tokens', () => {
    beforeEach(() =>
      repo.upsertUser(db, { username: 'admin', passwordHash: 'h', mustChangePassword: false, updatedAt: T0 }),
    );

    it('finds a token only before it expires', async () => {
      await repo.insertToken(db, { tokenHash: 'th1', username: 'admin', expiresAt: T0 + 7 * DAY }, 'h');
      const token = { tokenHash: 'th1', username: 'admin', expiresAt: T0 + 7 * DAY };
      expect(await repo.findValidToken(db, 'th1', T0)).toEqual(token);
      expect(await repo.findValidToken(db, 'th1', T0 + 7 * DAY - 1)).toEqual(token);
      expect(await repo.findValidToken(db, 'th1', T0 + 7 * DAY)).toBeNull();
      expect(await repo.findValidToken(db, 'other', T0)).toBeNull();
    });

    it('stores no token for an unknown user, nor for a password changed since it was checked', async () => {
      expect(await repo.insertToken(db, { tokenHash: 'th', username: 'ghost', expiresAt: T0 }, 'h')).toBe(false);
      expect(await repo.insertToken(db, { tokenHash: 'th', username: 'admin', expiresAt: T0 }, 'stale')).toBe(false);
      expect(await db.query('SELECT token_hash FROM tokens')).toEqual([]);
    });

    it('revokes one token, or every token of a user', async () => {
      await repo.upsertUser(db, { username: 'ops', passwordHash: 'o', mustChangePassword: false, updatedAt: T0 });
      for (const [tokenHash, username, hash] of [
        ['a1', 'admin', 'h'],
        ['a2', 'admin', 'h'],
        ['a3', 'admin', 'h'],
        ['o1', 'ops', 'o'],
      ] as const) {
        expect(await repo.insertToken(db, { tokenHash, username, expiresAt: T0 + DAY }, hash)).toBe(true);
      }
      expect(await repo.deleteToken(db, 'a1')).toBe(true);
      expect(await repo.deleteToken(db, 'a1')).toBe(false);
      expect(await repo.deleteTokensOf(db, 'admin')).toBe(2);
      expect(await db.query('SELECT token_hash FROM tokens')).toEqual([{ token_hash: 'o1' }]);
    });

    it('deletes expired tokens only, and says how many', async () => {
      await repo.insertToken(db, { tokenHash: 'old', username: 'admin', expiresAt: T0 - 1 }, 'h');
      await repo.insertToken(db, { tokenHash: 'edge', username: 'admin', expiresAt: T0 }, 'h');
      await repo.insertToken(db, { tokenHash: 'live', username: 'admin', expiresAt: T0 + 1 }, 'h');
      expect(await repo.deleteExpiredTokens(db, T0)).toBe(2);
      expect(await db.query('SELECT token_hash FROM tokens')).toEqual([{ token_hash: 'live' }]);
      expect(await repo.deleteExpiredTokens(db, T0)).toBe(0);
    });

    it('goes away with its user', async () => {
      await repo.insertToken(db, { tokenHash: 'th', username: 'admin', expiresAt: T0 + DAY }, 'h');
      await db.query(`DELETE FROM users WHERE username = 'admin'`);
      expect(await repo.findValidToken(db, 'th', T0)).toBeNull();
    });
  });

  describe('settings', () => {
    it('starts with the defaults', async () => {
      expect(await repo.getSettings(db)).toEqual(repo.DEFAULT_SETTINGS);
    });

    it('updates the given fields, nested ones too, keeps the others, and resets to the defaults', async () => {
      const on = { ...repo.DEFAULT_SETTINGS, show_security_notifications: true };
      expect(await db.transaction((tx) => repo.updateSettings(tx, { show_security_notifications: true }))).toEqual(on);
      expect(await db.transaction((tx) => repo.updateSettings(tx, { webhooks: { message: { read: true } } }))).toEqual({
        ...on,
        webhooks: { max_concurrent_requests: 6, message: { sent: true, delivered: true, read: true } },
      });
      expect(await db.transaction((tx) => repo.updateSettings(tx, { webhooks: { message: { read: false } } }))).toEqual(
        on,
      );
      expect(await repo.getSettings(db)).toEqual(on);
      expect(await repo.resetSettings(db)).toEqual(repo.DEFAULT_SETTINGS);
      expect(await repo.getSettings(db)).toEqual(repo.DEFAULT_SETTINGS);
    });
  });

  describe('clock', () => {
    // Real time and the ceiling as the caller passes them: far apart, unless a test narrows them.
    const T0 = Date.UTC(2026, 2, 1);
    const open = { realNowMs: T0, latestMs: T0 + 365 * DAY };

    it('starts at 0 and adds offsets, negative ones too', async () => {
      expect(await repo.getClockOffset(db)).toBe(0);
      expect(await repo.addClockOffset(db, 8 * DAY, open)).toBe(8 * DAY);
      expect(await repo.addClockOffset(db, -DAY, open)).toBe(7 * DAY);
      expect(await repo.getClockOffset(db)).toBe(7 * DAY);
    });

    it('loses no concurrent addition', async () => {
      await Promise.all(Array.from({ length: 25 }, () => repo.addClockOffset(db, 1000, open)));
      expect(await repo.getClockOffset(db)).toBe(25_000);
    });

    it('refuses a move past the ceiling and leaves the offset as it was; one up to it exactly is allowed', async () => {
      const ceiling = { realNowMs: T0, latestMs: T0 + 10_000 };
      expect(await repo.addClockOffset(db, 10_001, ceiling)).toBeUndefined();
      expect(await repo.getClockOffset(db)).toBe(0);
      expect(await repo.addClockOffset(db, 10_000, ceiling)).toBe(10_000);
      expect(await repo.addClockOffset(db, 1, ceiling)).toBeUndefined();
      expect(await repo.getClockOffset(db)).toBe(10_000);
    });

    it('lets only as many concurrent moves through as fit under the ceiling', async () => {
      const ceiling = { realNowMs: T0, latestMs: T0 + 10_500 };
      const offsets = await Promise.all(Array.from({ length: 25 }, () => repo.addClockOffset(db, 1000, ceiling)));
      expect(offsets.filter((o) => o !== undefined).sort((a, b) => a! - b!)).toEqual(
        Array.from({ length: 10 }, (_, i) => (i + 1) * 1000),
      );
      expect(await repo.getClockOffset(db)).toBe(10_000);
    });
  });

  describe('accounts', () => {
    const W = '16315551000';

    it('gets nothing for an unknown number', async () => {
      expect(await repo.getAccount(db, W)).toBeNull();
    });

    it('registers without an identity', async () => {
      await repo.registerAccount(db, { waId: W, now: T0 });
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: true,
        identityHash: null,
        identityCreatedAt: null,
        identityAcknowledged: true,
        updatedAt: T0,
      });
    });

    it('registers with an identity, created now and acknowledged', async () => {
      await repo.registerAccount(db, { waId: W, identityHash: 'UKD6Y/5SqDU=', now: T0 });
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: true,
        identityHash: 'UKD6Y/5SqDU=',
        identityCreatedAt: T0,
        identityAcknowledged: true,
        updatedAt: T0,
      });
    });

    it('deletes a known number and keeps its identity', async () => {
      await repo.registerAccount(db, { waId: W, identityHash: 'UKD6Y/5SqDU=', now: T0 });
      await repo.deleteAccount(db, W, T0 + 10);
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: false,
        identityHash: 'UKD6Y/5SqDU=',
        identityCreatedAt: T0,
        identityAcknowledged: true,
        updatedAt: T0 + 10,
      });
    });

    it('deletes a number it never knew', async () => {
      await repo.deleteAccount(db, W, T0);
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: false,
        identityHash: null,
        identityCreatedAt: null,
        identityAcknowledged: true,
        updatedAt: T0,
      });
    });

    it('re-registers a deleted number, keeping its identity unless given a new one', async () => {
      await repo.registerAccount(db, { waId: W, identityHash: 'first=', now: T0 });
      await repo.deleteAccount(db, W, T0 + 1);
      await repo.registerAccount(db, { waId: W, now: T0 + 2 });
      expect(await repo.getAccount(db, W)).toMatchObject({
        hasAccount: true,
        identityHash: 'first=',
        identityCreatedAt: T0,
        updatedAt: T0 + 2,
      });
      await repo.registerAccount(db, { waId: W, identityHash: 'second=', now: T0 + 3 });
      expect(await repo.getAccount(db, W)).toMatchObject({
        hasAccount: true,
        identityHash: 'second=',
        identityCreatedAt: T0 + 3,
        identityAcknowledged: true,
      });
    });

    it('records a new identity unacknowledged, then acknowledges only the latest hash', async () => {
      await repo.registerAccount(db, { waId: W, identityHash: 'old=', now: T0 });
      await repo.setNewIdentity(db, { waId: W, identityHash: 'Rc/eg9RQ0JA=', now: T0 + 100 });
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: true,
        identityHash: 'Rc/eg9RQ0JA=',
        identityCreatedAt: T0 + 100,
        identityAcknowledged: false,
        updatedAt: T0 + 100,
      });
      expect(await repo.acknowledgeIdentity(db, { waId: W, identityHash: 'old=', now: T0 + 200 })).toBe(false);
      expect((await repo.getAccount(db, W))!.identityAcknowledged).toBe(false);
      expect(await repo.acknowledgeIdentity(db, { waId: W, identityHash: 'Rc/eg9RQ0JA=', now: T0 + 300 })).toBe(true);
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: true,
        identityHash: 'Rc/eg9RQ0JA=',
        identityCreatedAt: T0 + 100,
        identityAcknowledged: true,
        updatedAt: T0 + 300,
      });
    });

    it('registers an unknown number through an identity change', async () => {
      await repo.setNewIdentity(db, { waId: W, identityHash: 'new=', now: T0 });
      expect(await repo.getAccount(db, W)).toEqual({
        waId: W,
        hasAccount: true,
        identityHash: 'new=',
        identityCreatedAt: T0,
        identityAcknowledged: false,
        updatedAt: T0,
      });
    });

    it('acknowledges nothing for an unknown number', async () => {
      expect(await repo.acknowledgeIdentity(db, { waId: W, identityHash: 'x=', now: T0 })).toBe(false);
      expect(await repo.getAccount(db, W)).toBeNull();
    });
  });

  describe('contact checks and their look-ups', () => {
    /** A look-up at `checkedAt` in which every number but those of `invalid` is a real one. */
    const lookUp = (
      waIds: string[],
      checkedAt: number,
      invalid: string[] = [],
      count?: { day: number; shard: number; checked: number },
    ) => repo.recordLookUp(db, { waIds, real: (waId) => !invalid.includes(waId), checkedAt, count });

    it('stores many results and reads them back by number', async () => {
      expect(await lookUp(['2', '1'], T0, ['2'])).toEqual(new Set(['1']));
      expect(await repo.getContactChecks(db, ['2', '1', '3'])).toEqual([
        { waId: '1', status: 'valid', checkedAt: T0 },
        { waId: '2', status: 'invalid', checkedAt: T0 },
      ]);
      expect(await repo.getContactChecks(db, [])).toEqual([]);
    });

    it("takes an account's row over whether the number is a real one", async () => {
      await repo.registerAccount(db, { waId: '1', now: T0 });
      await repo.deleteAccount(db, '2', T0);
      expect(await lookUp(['1', '2', '3', '4'], T0, ['1', '4'])).toEqual(new Set(['1', '3']));
      expect(await repo.getContactChecks(db, ['1', '2', '3', '4'])).toEqual([
        { waId: '1', status: 'valid', checkedAt: T0 },
        { waId: '2', status: 'invalid', checkedAt: T0 },
        { waId: '3', status: 'valid', checkedAt: T0 },
        { waId: '4', status: 'invalid', checkedAt: T0 },
      ]);
    });

    it('leaves out results older than freshSince', async () => {
      await lookUp(['stale'], T0 - 7 * DAY - 1);
      await lookUp(['edge'], T0 - 7 * DAY);
      await lookUp(['fresh'], T0, ['fresh']);
      expect(await repo.getContactChecks(db, ['stale', 'edge', 'fresh'], T0 - 7 * DAY)).toEqual([
        { waId: 'edge', status: 'valid', checkedAt: T0 - 7 * DAY },
        { waId: 'fresh', status: 'invalid', checkedAt: T0 },
      ]);
    });

    it('replaces an older result, never a newer one', async () => {
      await lookUp(['1'], T0);
      await lookUp(['1'], T0 + 10, ['1']);
      await lookUp(['1'], T0 + 5);
      expect(await repo.getContactChecks(db, ['1'])).toEqual([{ waId: '1', status: 'invalid', checkedAt: T0 + 10 }]);
    });

    it('stores a number asked twice once', async () => {
      expect(await lookUp(['1', '2', '1'], T0, ['2'])).toEqual(new Set(['1']));
      expect(await repo.getContactChecks(db, ['1', '2'])).toEqual([
        { waId: '1', status: 'valid', checkedAt: T0 },
        { waId: '2', status: 'invalid', checkedAt: T0 },
      ]);
    });

    it('settles the pending checks of the numbers asked, and no other', async () => {
      await repo.addPendingChecks(db, ['a', 'b', 'c'], T0);
      await lookUp(['a', 'c', 'zzz'], T0 + 1);
      expect(await repo.listPendingChecks(db)).toEqual([{ waId: 'b', requestedAt: T0 }]);
    });

    it("adds the count it is given to the misuse rule's shard, and nothing without one", async () => {
      // Three callers asked 1 and 2 alike (a batch): 6 counted for 2 numbers stored.
      await lookUp(['1', '2', '2'], T0, [], { day: 5, shard: 3, checked: 6 });
      await lookUp(['3'], T0, [], { day: 5, shard: 3, checked: 1 });
      await lookUp(['4'], T0, [], { day: 5, shard: 4, checked: 1 });
      await lookUp(['5', '6'], T0);
      expect(await repo.sumMisuseCounts(db, 5, 5)).toEqual({ checked: 8, sent: 0 });
      expect(await db.query('SELECT shard, checked FROM misuse_counts ORDER BY shard')).toEqual([
        { shard: 3, checked: 7 },
        { shard: 4, checked: 1 },
      ]);
    });

    it('stores, settles and counts nothing for no number', async () => {
      await repo.addPendingChecks(db, ['a'], T0);
      expect(await lookUp([], T0, [], { day: 5, shard: 0, checked: 0 })).toEqual(new Set());
      expect(await db.query('SELECT count(*) AS n FROM contact_checks')).toEqual([{ n: 0 }]);
      expect(await db.query('SELECT count(*) AS n FROM misuse_counts')).toEqual([{ n: 0 }]);
      expect(await repo.listPendingChecks(db)).toEqual([{ waId: 'a', requestedAt: T0 }]);
    });
  });

  describe('pending checks', () => {
    it('adds many, keeps the first request time, lists oldest first', async () => {
      await repo.addPendingChecks(db, ['b', 'a'], T0 + 1);
      await repo.addPendingChecks(db, ['a', 'c', 'c'], T0);
      await repo.addPendingChecks(db, [], T0);
      expect(await repo.listPendingChecks(db)).toEqual([
        { waId: 'c', requestedAt: T0 },
        { waId: 'a', requestedAt: T0 + 1 },
        { waId: 'b', requestedAt: T0 + 1 },
      ]);
    });
  });

  describe('inbound messages', () => {
    const W = '16315551000';

    it('stores a message once per id', async () => {
      expect(await repo.insertInboundMessage(db, { id: 'm1', waId: W, body: 'hi', receivedAt: T0 })).toBe(true);
      expect(await repo.insertInboundMessage(db, { id: 'm1', waId: W, body: 'again', receivedAt: T0 + 1 })).toBe(false);
      expect(await db.query('SELECT id, wa_id, body, received_at FROM inbound_messages')).toEqual([
        { id: 'm1', wa_id: W, body: 'hi', received_at: T0 },
      ]);
    });
  });

  describe('reports', () => {
    const W = '16315551000';
    const message = (id: string, receivedAt: number, waId = W) =>
      repo.insertInboundMessage(db, { id, waId, body: id, receivedAt });
    const report = (o: Partial<repo.NewReport> = {}) =>
      repo.fileReport(db, {
        waId: W,
        reason: null,
        block: false,
        reportedAt: T0 + DAY,
        messageId: undefined,
        lastMessages: 5,
        engagedSince: T0,
        ...o,
      });

    it('files the last N messages, newest first, ties in receive time broken by id', async () => {
      for (let i = 1; i <= 5; i++) await message(`m${i}`, T0 + i * 10);
      for (const id of ['a', 'c', 'b']) await message(id, T0 + 60);
      await message('x', T0 + 1000, 'other');
      expect(await report({ reason: 'abuse', lastMessages: 4 })).toBe('filed');
      expect(await report({ waId: 'other', lastMessages: 0 })).toBe('filed');
      expect(await repo.listReports(db)).toEqual([
        { id: 1, waId: W, reason: 'abuse', block: false, reportedAt: T0 + DAY, messageIds: ['c', 'b', 'a', 'm5'] },
        { id: 2, waId: 'other', reason: null, block: false, reportedAt: T0 + DAY, messageIds: [] },
      ]);
    });

    it('files a given message only when the contact sent it, ids with commas and quotes kept', async () => {
      await message('with,comma"quote', T0 + 1);
      await message('m2', T0 + 2, 'other');
      expect(await report({ messageId: 'm2' })).toBe('no such message');
      expect(await report({ messageId: 'nope' })).toBe('no such message');
      expect(await report({ messageId: 'with,comma"quote' })).toBe('filed');
      expect((await repo.listReports(db)).map((r) => r.messageIds)).toEqual([['with,comma"quote']]);
    });

    it('refuses a contact that has not written after engagedSince, storing nothing', async () => {
      await message('m1', T0);
      expect(await report({ engagedSince: T0 })).toBe('not engaged');
      expect(await report({ waId: 'nobody', engagedSince: 0 })).toBe('not engaged');
      expect(await report({ engagedSince: T0, block: true })).toBe('not engaged');
      expect(await repo.listReports(db)).toEqual([]);
      expect(await repo.blocklistPage(db, { limit: 10, offset: 0 })).toEqual({ waIds: [], total: 0 });
      expect(await report({ engagedSince: T0 - 1 })).toBe('filed');
    });

    it('blocks when asked, the blocklist counting it, and keeps a first block', async () => {
      await message('m1', T0 + 1);
      await message('n1', T0 + 1, 'other');
      expect(await repo.blockContact(db, { waId: 'other', reason: 'first', blockedAt: T0 })).toBe(true);
      expect(await report({ reason: 'spam', block: true })).toBe('filed');
      expect(await report({ waId: 'other', reason: 'second', block: true })).toBe('filed');
      expect(await repo.blocklistPage(db, { limit: 10, offset: 0 })).toEqual({ waIds: ['other', W], total: 2 });
      expect(await storedBlocks()).toEqual([
        { wa_id: 'other', reason: 'first', blocked_at: T0 },
        { wa_id: W, reason: 'spam', blocked_at: T0 + DAY },
      ]);
    });

    it('lists nothing when there is no report', async () => {
      expect(await repo.listReports(db)).toEqual([]);
    });
  });

  describe('blocks', () => {
    it('blocks, keeping the first block when blocked again', async () => {
      expect(await repo.blockContact(db, { waId: 'a', reason: 'spam', blockedAt: T0 })).toBe(true);
      expect(await repo.blockContact(db, { waId: 'b', reason: null, blockedAt: T0 + 1 })).toBe(true);
      expect(await repo.blockContact(db, { waId: 'a', reason: 'again', blockedAt: T0 + 2 })).toBe(false);
      expect((await repo.blocklistPage(db, { limit: 10, offset: 0 })).waIds).toEqual(['a', 'b']);
      expect(await storedBlocks()).toEqual([
        { wa_id: 'a', reason: 'spam', blocked_at: T0 },
        { wa_id: 'b', reason: null, blocked_at: T0 + 1 },
      ]);
    });

    it('blocks a contact only when it wrote after engagedSince', async () => {
      await repo.insertInboundMessage(db, { id: 'm1', waId: 'a', body: '', receivedAt: T0 });
      const block = (waId: string, engagedSince: number) =>
        repo.blockEngaged(db, { waId, reason: 'r', blockedAt: T0 + 5 }, engagedSince);
      expect(await block('a', T0)).toBe(false);
      expect(await block('b', 0)).toBe(false);
      expect(await repo.blocklistPage(db, { limit: 10, offset: 0 })).toEqual({ waIds: [], total: 0 });
      expect(await block('a', T0 - 1)).toBe(true);
      expect(await block('a', T0 - 1)).toBe(true);
      expect(await repo.blocklistPage(db, { limit: 10, offset: 0 })).toEqual({ waIds: ['a'], total: 1 });
      expect(await storedBlocks()).toEqual([{ wa_id: 'a', reason: 'r', blocked_at: T0 + 5 }]);
    });

    it('unblocks, and a later block goes to the end of the list', async () => {
      await repo.blockContact(db, { waId: 'a', reason: null, blockedAt: T0 });
      await repo.blockContact(db, { waId: 'b', reason: null, blockedAt: T0 });
      expect(await repo.unblockContact(db, 'a')).toBe(true);
      expect(await repo.unblockContact(db, 'a')).toBe(false);
      expect(await repo.isBlocked(db, 'a')).toBe(false);
      await repo.blockContact(db, { waId: 'a', reason: 'back', blockedAt: T0 + 5 });
      expect((await repo.blocklistPage(db, { limit: 10, offset: 0 })).waIds).toEqual(['b', 'a']);
    });

    it('pages in blocking order and counts the total', async () => {
      for (const w of ['e', 'd', 'c', 'b', 'a']) {
        await repo.blockContact(db, { waId: w, reason: null, blockedAt: T0 });
      }
      const ids = async (limit: number, offset: number) => (await repo.blocklistPage(db, { limit, offset })).waIds;
      expect(await ids(2, 0)).toEqual(['e', 'd']);
      expect(await ids(2, 2)).toEqual(['c', 'b']);
      expect(await ids(2, 4)).toEqual(['a']);
      expect(await ids(2, 5)).toEqual([]);
      expect(await ids(0, 0)).toEqual([]);
      expect((await repo.blocklistPage(db, { limit: 0, offset: 0 })).total).toBe(5);
    });

    it('reads a page and the total in one statement, the total also with an empty page', async () => {
      for (const w of ['c', 'b', 'a'])
        await repo.blockContact(db, { waId: w, reason: w === 'b' ? 'spam' : null, blockedAt: T0 });
      expect(await repo.blocklistPage(db, { limit: 2, offset: 1 })).toEqual({ waIds: ['b', 'a'], total: 3 });
      expect(await repo.blocklistPage(db, { limit: 2, offset: 3 })).toEqual({ waIds: [], total: 3 });
      expect(await repo.blocklistPage(db, { limit: 0, offset: 0 })).toEqual({ waIds: [], total: 3 });
      await db.query('DELETE FROM blocks');
      expect(await repo.blocklistPage(db, { limit: 10, offset: 0 })).toEqual({ waIds: [], total: 0 });
    });

    it('says whether a number is blocked', async () => {
      expect((await repo.blocklistPage(db, { limit: 0, offset: 0 })).total).toBe(0);
      expect(await repo.isBlocked(db, 'a')).toBe(false);
      await repo.blockContact(db, { waId: 'a', reason: null, blockedAt: T0 });
      expect(await repo.isBlocked(db, 'a')).toBe(true);
    });
  });

  describe('in a transaction', () => {
    it('works on the transaction handle and rolls back together', async () => {
      await expect(
        db.transaction(async (tx) => {
          await repo.insertInboundMessage(tx, { id: 'm1', waId: 'a', body: '', receivedAt: T0 });
          expect(
            await repo.fileReport(tx, {
              waId: 'a',
              reason: 'r',
              block: true,
              reportedAt: T0,
              messageId: undefined,
              lastMessages: 5,
              engagedSince: 0,
            }),
          ).toBe('filed');
          expect(await repo.isBlocked(tx, 'a')).toBe(true);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await repo.isBlocked(db, 'a')).toBe(false);
      expect(await repo.listReports(db)).toEqual([]);
      expect(await db.query('SELECT id FROM inbound_messages')).toEqual([]);
    });
  });
});
