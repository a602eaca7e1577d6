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

  /** Rows each scan of inbound_messages produced when the statement ran. */
  const messagesRead = async (sql: string, params: unknown[]) =>
    scannedRows(await explainPlan(db, sql, params), 'inbound_messages');

  describe('reports over long message histories', () => {
    it('seeds the histories newest first, one second apart', async () => {
      expect(await repo.lastMessageIds(db, waId(7), 5)).toEqual(
        [0, 1, 2, 3, 4].map((j) => repo.seededMessageId(waId(7), j)),
      );
      expect(await repo.lastEngagementAt(db, waId(7))).toBe(T0);
      const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_messages')) as [
        { n: number },
      ];
      expect(n).toBe(CONTACTS * PER_CONTACT);
    });

    it('reads only the 5 reported messages of a history of 500, not the whole history', async () => {
      const sql = capturedSql((q) => repo.lastMessageIds(q, '', 5));
      expect(await messagesRead(sql, [waId(3), 5])).toEqual([5]);
    });

    it('reads only 5 messages when the whole history shares one received_at (a frozen sandbox clock)', async () => {
      const tied = waId(CONTACTS);
      await db.query(
        `INSERT INTO inbound_messages (id, wa_id, body, received_at)
         SELECT 'wamid.tie.' || lpad(i::text, 3, '0'), $1, 'tie', $2 FROM generate_series(0, 299) AS i`,
        [tied, T0],
      );
      await db.query('ANALYZE inbound_messages');
      expect(await repo.lastMessageIds(db, tied, 5)).toEqual([299, 298, 297, 296, 295].map((i) => `wamid.tie.${i}`));
      const sql = capturedSql((q) => repo.lastMessageIds(q, '', 5));
      expect(await messagesRead(sql, [tied, 5])).toEqual([5]);
    });

    it('reads one message to judge engagement', async () => {
      const sql = capturedSql((q) => repo.lastEngagementAt(q, ''));
      expect(await messagesRead(sql, [waId(3)])).toEqual([1]);
    });
  });
});
