import { beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../src/storage/index.js';
import { capturedSql, explainPlan, scannedRows } from './helpers/explain.js';
import { resetTables } from './helpers/reset.js';
import { eachTarget, useDatabase } from './helpers/targets.js';

const T0 = 1_700_000_000_000;
const CONTACTS = 20;
const PER_CONTACT = 500;
const waId = (c: number) => repo.seededWaId('1310', c);

eachTarget((target) => {
  const { db } = useDatabase(target);

  beforeAll(async () => {
    await resetTables(db);
    await repo.seedBulk(db, {
      now: T0,
      inboundMessages: { prefix: '1310', contacts: CONTACTS, perContact: PER_CONTACT },
    });
  });

  const request = (waId: string, engagedSince = T0 - 1): repo.NewReport => ({
    waId,
    reason: null,
    block: false,
    reportedAt: T0,
    messageId: undefined,
    lastMessages: 5,
    engagedSince,
  });
  /** The rows each scan of inbound_messages produced when the report's statement ran (it files the report). */
  const messagesRead = async (r: repo.NewReport) => {
    const sql = capturedSql((q) => repo.fileReport(q, r), [{ engaged: true, found: true }]);
    const params = [r.waId, r.reason, r.block, r.reportedAt, r.messageId ?? null, r.lastMessages, r.engagedSince];
    return scannedRows(await explainPlan(db, sql, params), 'inbound_messages');
  };
  const lastReported = async () => (await repo.listReports(db)).at(-1)!.messageIds;

  describe('reports over long message histories', () => {
    it('seeds the histories newest first, one second apart', async () => {
      expect(await repo.fileReport(db, request(waId(7), T0))).toBe('not engaged');
      expect(await repo.fileReport(db, request(waId(7)))).toBe('filed');
      expect(await lastReported()).toEqual([0, 1, 2, 3, 4].map((j) => repo.seededMessageId(waId(7), j)));
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_messages')) as [
        { n: number },
      ];
      expect(n).toBe(CONTACTS * PER_CONTACT);
    });

    it('reads the 5 reported messages of a history of 500 and one more to judge engagement', async () => {
      // One to judge engagement, then the 5 reported (the branch of a given message_id is planned away).
      expect(await messagesRead(request(waId(3)))).toEqual([1, 5]);
      expect(await lastReported()).toEqual([0, 1, 2, 3, 4].map((j) => repo.seededMessageId(waId(3), j)));
    });

    it('reads only 5 messages when the whole history shares one received_at (a frozen sandbox clock)', async () => {
      const tied = waId(CONTACTS);
      await db.query(
        `INSERT INTO inbound_messages (id, wa_id, body, received_at)
         SELECT 'wamid.tie.' || lpad(i::text, 3, '0'), $1, 'tie', $2 FROM generate_series(0, 299) AS i`,
        [tied, T0],
      );
      await db.query('ANALYZE inbound_messages');
      expect(await messagesRead(request(tied))).toEqual([1, 5]);
      expect(await lastReported()).toEqual([299, 298, 297, 296, 295].map((i) => `wamid.tie.${i}`));
    });
  });
});
