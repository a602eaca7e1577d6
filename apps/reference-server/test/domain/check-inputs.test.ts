import { afterEach, describe, expect, it, vi } from 'vitest';
import { PhoneNormalizer } from '../../src/domain/phone.js';
import { seedBulk, seededWaId } from '../../src/storage/index.js';
import { startServer, START_TIMEOUT, type Harness } from '../support/harness.js';
import { eachStorage, storageTargets, type StorageInstance } from '../support/storage-targets.js';

// Every libphonenumber parse the server makes, counted.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('libphonenumber-js/max', async (importOriginal) => {
  const actual = await importOriginal<typeof import('libphonenumber-js/max')>();
  return {
    ...actual,
    parsePhoneNumberFromString: (...args: Parameters<typeof actual.parsePhoneNumberFromString>) => {
      parses.count++;
      return actual.parsePhoneNumberFromString(...args);
    },
  };
});

const WAIT = { wait: true, forceCheck: false };
// The formats of Meta's examples, a number of another country, a possible-only one, padding, no number.
const INPUTS = [
  '+1 631 200-0101',
  '16312000102',
  '(631) 200-0103',
  '631.200.0104',
  ' +1 (631) 200-0105 ',
  '+44 20 7946 0958',
  '+1 999 555 0100',
  'abc',
  '+1 631 200-0101',
];

eachStorage(
  storageTargets.filter((t) => t.persistent),
  (target) => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    const start = async (storage: StorageInstance, env: Record<string, string> = {}): Promise<Harness> => {
      const h = await startServer({ storage, env });
      cleanups.push(() => h.close());
      return h;
    };

    describe('check inputs kept in check_inputs', () => {
      it(
        'answers a re-check by a new process byte for byte as the first check, with no parse',
        async () => {
          const storage = await target.create();
          cleanups.push(storage.cleanup);
          const first = await start(storage);
          const checked = await first.server.checks.check(INPUTS, WAIT);
          await first.close();

          const second = await start(storage);
          parses.count = 0;
          const again = await second.server.checks.check(INPUTS, WAIT);
          expect(JSON.stringify(again)).toBe(JSON.stringify(checked));
          expect(parses.count).toBe(0);
          // And as a fresh process parsing everything would answer.
          expect(again).toEqual(
            INPUTS.map((input) => {
              const n = new PhoneNormalizer(second.config.business).normalize(input);
              return n.kind === 'failed' ? { input, status: 'failed' } : { input, status: 'valid', wa_id: n.waId };
            }),
          );
        },
        START_TIMEOUT * 2,
      );

      it(
        "seeds inputs (seedBulk's inputsContext) as the server normalizes them, then answers them with no parse",
        async () => {
          const storage = await target.create();
          cleanups.push(storage.cleanup);
          const h = await start(storage);
          const phones = new PhoneNormalizer(h.config.business);
          await seedBulk(h.server.db, {
            now: h.now(),
            contactChecks: { prefix: '1631', count: 8, inputsContext: phones.context },
          });
          const rows = await h.server.db.query<{ input: string; kind: string; wa_id: string }>(
            'SELECT input, kind, wa_id FROM check_inputs ORDER BY wa_id',
          );
          expect(rows.map((r) => r.input)).toEqual([
            '+1 631 200 0000',
            '16312000001',
            '+1 (631) 200-0002',
            '631-200-0003',
            '+1 631 200 0004',
            '16312000005',
            '+1 (631) 200-0006',
            '631-200-0007',
          ]);
          for (const r of rows) expect(phones.normalize(r.input)).toEqual({ kind: r.kind, waId: r.wa_id });
          parses.count = 0;
          expect(
            await h.server.checks.check(
              rows.map((r) => r.input),
              WAIT,
            ),
          ).toEqual(rows.map((r, i) => ({ input: r.input, status: 'valid', wa_id: seededWaId('1631', i) })));
          expect(parses.count).toBe(0);
        },
        START_TIMEOUT,
      );

      it(
        'parses again under another business country: a national input means another number there',
        async () => {
          const storage = await target.create();
          cleanups.push(storage.cleanup);
          const us = await start(storage);
          expect(await us.server.checks.check(['(631) 200-0103'], WAIT)).toEqual([
            { input: '(631) 200-0103', status: 'valid', wa_id: '16312000103' },
          ]);
          await us.close();

          const gb = await start(storage, { WA_BUSINESS_NUMBER: '+442079460958' });
          parses.count = 0;
          expect(await gb.server.checks.check(['(631) 200-0103', '020 7946 0959'], WAIT)).toEqual([
            { input: '(631) 200-0103', status: 'valid', wa_id: '446312000103' },
            { input: '020 7946 0959', status: 'valid', wa_id: '442079460959' },
          ]);
          expect(parses.count).toBeGreaterThan(0);
        },
        START_TIMEOUT * 2,
      );
    });
  },
);
