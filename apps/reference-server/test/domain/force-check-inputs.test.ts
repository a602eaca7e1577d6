import { describe, expect, it, vi } from 'vitest';
import { PhoneNormalizer } from '../../src/domain/phone.js';
import { seedBulk, seededWaId } from '../../src/storage/index.js';
import { useServer } from '../support/harness.js';

// Every libphonenumber parse the server makes, by what it parsed.
const parses = vi.hoisted(() => ({ texts: [] as string[] }));
vi.mock('libphonenumber-js/max', async (importOriginal) => {
  const actual = await importOriginal<typeof import('libphonenumber-js/max')>();
  return {
    ...actual,
    parsePhoneNumberFromString: (...args: Parameters<typeof actual.parsePhoneNumberFromString>) => {
      parses.texts.push(args[0]);
      return actual.parsePhoneNumberFromString(...args);
    },
  };
});

describe('force_check of inputs new to the process', () => {
  const h = useServer();

  it('takes what check_inputs holds for them, with no parse, and asks WhatsApp for every number', async () => {
    const at = h.now();
    await seedBulk(h.server.db, {
      now: at - 1000,
      contactChecks: { prefix: '1631', count: 4, inputsContext: new PhoneNormalizer(h.config.business).context },
    });
    const inputs = ['+1 631 200 0000', '16312000001', '+1 (631) 200-0002', '631-200-0003', '+1 631 200 0000'];
    parses.texts = [];
    expect(await h.server.checks.check(inputs, { wait: true, forceCheck: true })).toEqual(
      inputs.map((input, i) => ({ input, status: 'valid', wa_id: seededWaId('1631', i % 4) })),
    );
    // Nothing is parsed: not the inputs, nor the numbers the simulated WhatsApp is asked about
    // (that they are real numbers is what normalizing them found).
    expect(parses.texts).toEqual([]);
    const rows = await h.server.db.query<{ wa_id: string; checked_at: string }>(
      'SELECT wa_id, checked_at::text FROM contact_checks ORDER BY wa_id',
    );
    expect(rows.map((r) => r.wa_id)).toEqual([0, 1, 2, 3].map((i) => seededWaId('1631', i)));
    expect(rows.every((r) => Number(r.checked_at) >= at)).toBe(true);
  });
});
