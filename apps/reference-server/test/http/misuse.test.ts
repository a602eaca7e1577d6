import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorsOf } from '../support/errors.js';
import { DAY_MS, numberSequence, START_TIMEOUT, startServer, type Harness } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres, type StorageInstance } from '../support/storage-targets.js';

/**
 * Meta's misuse rule on the sandbox clock, with the wall clock frozen (only Date is faked) so
 * that warned_at and disabled_at are exact: checks may not outnumber sends over 7 days.
 */

const START = Date.parse('2026-03-02T12:00:00.000Z');
const WARNED_LINE = /^misuse: \d+ numbers checked but \d+ messages sent over the last 7 days;/;

interface Line {
  level: number;
  msg: string;
  misuse?: Record<string, unknown>;
}

function captured(): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

eachStorage([pgliteMemory, postgres], (target) => {
  for (const policy of ['enforce', 'warn', 'off'] as const) {
    describe(`WA_MISUSE_POLICY=${policy}`, () => {
      let h: Harness;
      let storage: StorageInstance;
      let lines: Line[];
      const next = numberSequence();

      beforeAll(async () => {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(START);
        storage = await target.create();
        const log = captured();
        lines = log.lines;
        h = await startServer({ storage, logger: log.logger, env: { WA_MISUSE_POLICY: policy, LOG_LEVEL: 'info' } });
      }, START_TIMEOUT);
      afterAll(async () => {
        await h?.close();
        await storage?.cleanup();
        vi.useRealTimers();
      });

      const misuse = async () => {
        const res = await h.api.call('getMisuse');
        expect(res.status, res.text).toBe(200);
        const { meta: _meta, ...rest } = res.body as Record<string, unknown>;
        return rest;
      };
      const reset = async () => expect((await h.api.call('resetMisuse')).status).toBe(200);
      /** Checks `count` new numbers, asked of WhatsApp (blocking: wait). */
      const check = (count: number, options: { contacts?: string[]; force?: boolean } = {}) =>
        h.api.call('checkContacts', {
          body: {
            blocking: 'wait',
            contacts: options.contacts ?? Array.from({ length: count }, next),
            ...(options.force ? { force_check: true } : {}),
          },
        });
      const send = (to = next()) => h.api.call('sendMessage', { body: { to } });
      const checkOk = async (count: number, options?: { contacts?: string[]; force?: boolean }) =>
        expect((await check(count, options)).status).toBe(200);
      const sendOk = async (times: number) => {
        for (let i = 0; i < times; i++) expect((await send()).status).toBe(200);
      };
      const warnings = () => lines.filter((l) => l.level === 40 && WARNED_LINE.test(l.msg));

      if (policy === 'off') {
        it('counts nothing, warns of nothing', async () => {
          await checkOk(5);
          await sendOk(1);
          expect(await misuse()).toEqual({ checked: 0, sent: 0, window_days: 7, state: 'ok' });
          expect(lines.filter((l) => l.misuse)).toEqual([]);
        });
        return;
      }

      it('stays ok while checks do not outnumber sends; cached answers do not count, force_check does', async () => {
        await reset();
        await sendOk(3);
        const numbers = Array.from({ length: 2 }, next);
        await checkOk(0, { contacts: numbers });
        await checkOk(0, { contacts: numbers });
        expect(await misuse()).toEqual({ checked: 2, sent: 3, window_days: 7, state: 'ok' });
        await checkOk(0, { contacts: numbers.slice(0, 1), force: true });
        expect(await misuse()).toEqual({ checked: 3, sent: 3, window_days: 7, state: 'ok' });
        expect(warnings()).toEqual([]);
      });

      it('warns once, with the counts, when checks outnumber sends; back under the rule within the grace period is ok', async () => {
        await reset();
        const warnedAt = h.now();
        await checkOk(4);
        await sendOk(1);
        expect(await misuse()).toEqual({ checked: 4, sent: 1, window_days: 7, state: 'warned', warned_at: warnedAt });
        await checkOk(2);
        expect(await misuse()).toEqual({ checked: 6, sent: 1, window_days: 7, state: 'warned', warned_at: warnedAt });
        expect(warnings().map((l) => l.misuse)).toEqual([
          { state: 'warned', checked: 4, sent: 0, window_days: 7, warned_at: warnedAt, disabled_at: null },
        ]);

        await h.sandbox.advanceClock(6 * DAY_MS);
        expect((await misuse()).state).toBe('warned');
        await sendOk(5);
        expect(await misuse()).toEqual({ checked: 6, sent: 6, window_days: 7, state: 'ok' });
      });

      it(
        policy === 'enforce'
          ? 'disables a number still over the rule 7 days after its warning: 403 (1031) until DELETE /sandbox/misuse'
          : 'never disables: still over the rule after 7 days and more, it stays warned and is answered',
        async () => {
          await reset();
          const cached = next();
          await sendOk(1);
          await checkOk(0, { contacts: [cached] });
          const warnedAt = h.now();
          await checkOk(1);
          expect(await misuse()).toMatchObject({ state: 'warned', warned_at: warnedAt });
          // The nightly re-check of a customer list: checks every day, barely a message.
          for (let day = 1; day <= 6; day++) {
            await h.sandbox.advanceClock(DAY_MS);
            await checkOk(2);
          }
          await h.sandbox.advanceClock(DAY_MS - 1);
          expect(await misuse()).toEqual({
            checked: 12,
            sent: 0,
            window_days: 7,
            state: 'warned',
            warned_at: warnedAt,
          });
          await h.sandbox.advanceClock(1);

          if (policy === 'warn') {
            expect(await misuse()).toEqual({
              checked: 12,
              sent: 0,
              window_days: 7,
              state: 'warned',
              warned_at: warnedAt,
            });
            for (let day = 1; day <= 3; day++) {
              await h.sandbox.advanceClock(DAY_MS);
              await checkOk(2);
            }
            expect(await misuse()).toEqual({
              checked: 12,
              sent: 0,
              window_days: 7,
              state: 'warned',
              warned_at: warnedAt,
            });
            expect((await send()).status).toBe(200);
            return;
          }

          const disabled = { state: 'disabled', warned_at: warnedAt, disabled_at: warnedAt + 7 * DAY_MS };
          expect(await misuse()).toEqual({ checked: 12, sent: 0, window_days: 7, ...disabled });
          const refusal = {
            code: 1031,
            title: 'Account has been locked',
            details: `This phone number was disabled since ${new Date(warnedAt + 7 * DAY_MS).toISOString()} for checking more contacts than it sent messages. Reset it with DELETE /sandbox/misuse.`,
          };
          for (const res of [await check(0, { contacts: [cached] }), await check(1), await send()]) {
            expect({ status: res.status, errors: errorsOf(res) }).toEqual({ status: 403, errors: [refusal] });
          }
          // Sends and time do not lift it.
          await h.sandbox.advanceClock(30 * DAY_MS);
          expect(await misuse()).toEqual({ checked: 0, sent: 0, window_days: 7, ...disabled });
          expect((await check(1)).status).toBe(403);

          await reset();
          expect(await misuse()).toEqual({ checked: 0, sent: 0, window_days: 7, state: 'ok' });
          await sendOk(1);
          await checkOk(1);
          expect(await misuse()).toEqual({ checked: 1, sent: 1, window_days: 7, state: 'ok' });
        },
      );
    });
  }
});

describe('WA_SANDBOX=off with WA_MISUSE_POLICY=enforce', () => {
  it(
    'counts nothing and warns of nothing: no message can be sent, nor the state reset',
    async () => {
      const { logger, lines } = captured();
      const h = await startServer({
        logger,
        env: { WA_SANDBOX: 'off', WA_MISUSE_POLICY: 'enforce', LOG_LEVEL: 'info' },
      });
      try {
        const next = numberSequence();
        const res = await h.api.call('checkContacts', { body: { blocking: 'wait', contacts: [next(), next()] } });
        expect(res.status, res.text).toBe(200);
        expect(await h.server.db.query('SELECT day, checked, sent FROM misuse_counts')).toEqual([]);
        expect(lines.filter((l) => l.misuse)).toEqual([]);
      } finally {
        await h.close();
      }
    },
    START_TIMEOUT,
  );
});
