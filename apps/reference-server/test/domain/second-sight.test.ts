import { describe, expect, it } from 'vitest';
import { PhoneNormalizer } from '../../src/domain/phone.js';
import { SecondSight } from '../../src/domain/second-sight.js';
import { seedBulk, seededWaId } from '../../src/storage/index.js';
import { useServer } from '../support/harness.js';

const WAIT = { wait: true, forceCheck: false };

describe('numbers read past the in-process caches', () => {
  const h = useServer();

  /** 'memory' when check() answers without a promise (the process held it all), else 'read'. */
  async function source(inputs: string[]): Promise<{ from: 'memory' | 'read'; answer: unknown }> {
    const answer = h.server.checks.check(inputs, WAIT);
    return answer instanceof Promise ? { from: 'read', answer: await answer } : { from: 'memory', answer };
  }

  it('are kept in memory (the check index) from their first read on, with the same answer each time', async () => {
    await seedBulk(h.server.db, {
      now: h.now(),
      contactChecks: { prefix: '1631', count: 4, inputsContext: new PhoneNormalizer(h.config.business).context },
    });
    const inputs = ['+1 631 200 0000', '16312000001', '+1 (631) 200-0002', '631-200-0003'];
    const expected = inputs.map((input, i) => ({ input, status: 'valid', wa_id: seededWaId('1631', i) }));
    const sources = [];
    for (let i = 0; i < 4; i++) {
      const { from, answer } = await source(inputs);
      expect(answer).toEqual(expected);
      sources.push(from);
    }
    expect(sources).toEqual(['read', 'memory', 'memory', 'memory']);
  });
});

describe('numbers read past a full check index', () => {
  // One input fills the index: the others go the way they went without it.
  const h = useServer({ env: { WA_CHECK_INDEX_MAX: '1' } });

  it('are kept in the front caches from their second read on, with the same answer each time', async () => {
    await seedBulk(h.server.db, {
      now: h.now(),
      contactChecks: { prefix: '1631', count: 5, inputsContext: new PhoneNormalizer(h.config.business).context },
    });
    expect(await h.server.checks.check(['+1 631 200 0004'], WAIT)).toEqual([
      { input: '+1 631 200 0004', status: 'valid', wa_id: seededWaId('1631', 4) },
    ]);
    expect(h.server.checks.holding.inputs).toBe(1);
    const inputs = ['+1 631 200 0000', '16312000001', '+1 (631) 200-0002', '631-200-0003'];
    const expected = inputs.map((input, i) => ({ input, status: 'valid', wa_id: seededWaId('1631', i) }));
    const sources = [];
    for (let i = 0; i < 4; i++) {
      const answer = h.server.checks.check(inputs, WAIT);
      expect(answer instanceof Promise ? await answer : answer).toEqual(expected);
      sources.push(answer instanceof Promise ? 'read' : 'memory');
    }
    expect(sources).toEqual(['read', 'read', 'memory', 'memory']);
    expect(h.server.checks.holding.inputs).toBe(1);
  });
});

describe('SecondSight', () => {
  it('says no the first time for each number, yes after', () => {
    const sight = new SecondSight();
    expect(
      ['16312000000', '16312000001', '16312000000', '16312000001', '447700900123'].map((w) => sight.seenBefore(w)),
    ).toEqual([false, false, true, true, false]);
  });
});
