import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MISUSE_GRACE_MS, type MisuseTransition, nextMisuseState } from '../../src/domain/misuse.js';

const T = Date.parse('2026-03-02T12:00:00.000Z');
const ok: MisuseTransition = { state: 'ok', warnedAt: null, disabledAt: null };
const warned: MisuseTransition = { state: 'warned', warnedAt: T, disabledAt: null };
const disabled: MisuseTransition = { state: 'disabled', warnedAt: T, disabledAt: T + MISUSE_GRACE_MS };
const over = { checked: 3, sent: 2 };
const even = { checked: 2, sent: 2 };

describe('nextMisuseState', () => {
  it.each([
    ['ok, as many checked as sent', ok, even, T, 'enforce', ok],
    ['ok, nothing at all', ok, { checked: 0, sent: 0 }, T, 'enforce', ok],
    ['ok, over the rule: warned now', ok, over, T + 5, 'enforce', { ...ok, state: 'warned', warnedAt: T + 5 }],
    ['warned, over, 1 ms before the grace ends', warned, over, T + MISUSE_GRACE_MS - 1, 'enforce', warned],
    ['warned, over, as the grace ends', warned, over, T + MISUSE_GRACE_MS, 'enforce', disabled],
    [
      'warned, over, long after the grace (disabled as of its end)',
      warned,
      over,
      T + 9 * MISUSE_GRACE_MS,
      'enforce',
      disabled,
    ],
    ['warned, back under the rule', warned, even, T + MISUSE_GRACE_MS, 'enforce', ok],
    ['warned under warn, long after the grace', warned, over, T + 9 * MISUSE_GRACE_MS, 'warn', warned],
    ['ok under warn, over', ok, over, T, 'warn', warned],
    ['disabled stays disabled, even under the rule', disabled, even, T + 9 * MISUSE_GRACE_MS, 'enforce', disabled],
    ['off changes nothing', ok, over, T, 'off', ok],
  ] as const)('%s', (_title, current, counts, now, policy, expected) => {
    expect(nextMisuseState(current, counts, now, policy)).toEqual(expected);
  });
});

describe('WA_MISUSE_POLICY', () => {
  it.each([
    [undefined, 'warn'],
    ['', 'warn'],
    ['off', 'off'],
    [' Enforce ', 'enforce'],
    ['WARN', 'warn'],
  ])('reads %j as %s', (value, policy) => {
    expect(loadConfig(value === undefined ? {} : { WA_MISUSE_POLICY: value }).misusePolicy).toBe(policy);
  });

  it.each(['on', 'true', 'disable', 'enforced'])('refuses %j with a ConfigError', (value) => {
    expect(() => loadConfig({ WA_MISUSE_POLICY: value })).toThrow(
      new ConfigError(`WA_MISUSE_POLICY must be off, warn or enforce, got "${value}"`),
    );
  });
});
