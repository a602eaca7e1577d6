import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('WA_RATE_LIMIT', () => {
  it.each([
    [undefined, { perSecond: 20, burst: 60 }, true],
    ['', { perSecond: 20, burst: 60 }, true],
    ['on', { perSecond: 20, burst: 60 }, true],
    ['ON', { perSecond: 20, burst: 60 }, true],
    ['off', undefined, false],
    [' Off ', undefined, false],
    ['500/1000', { perSecond: 500, burst: 1000 }, true],
    ['1000/20', { perSecond: 1000, burst: 20 }, true],
    ['0.5/2', { perSecond: 0.5, burst: 2 }, true],
  ])('reads %j as %j (login throttle %s)', (value, rateLimit, loginThrottle) => {
    const config = loadConfig(value === undefined ? {} : { WA_RATE_LIMIT: value });
    expect({ rateLimit: config.rateLimit, loginThrottle: config.loginThrottle }).toEqual({ rateLimit, loginThrottle });
  });

  it.each([
    'yes',
    'true',
    '20',
    '20/',
    '/60',
    '0/60',
    '20/0',
    '-1/60',
    '20/-1',
    '20/1.5',
    '1e3/60',
    '20/60/1',
    'abc/def',
    '20 / 60',
    'Infinity/60',
  ])('refuses %j with a ConfigError', (value) => {
    expect(() => loadConfig({ WA_RATE_LIMIT: value })).toThrow(ConfigError);
    expect(() => loadConfig({ WA_RATE_LIMIT: value })).toThrow(`WA_RATE_LIMIT must be on, off or RATE/BURST`);
  });
});

describe('WA_REQUEST_TIMEOUT_MS', () => {
  it('is 30 seconds unless set', () => {
    expect(loadConfig({}).requestTimeoutMs).toBe(30_000);
    expect(loadConfig({ WA_REQUEST_TIMEOUT_MS: '500' }).requestTimeoutMs).toBe(500);
  });

  it.each(['0', '-1', '1.5', 'soon', '1e3'])('refuses %j with a ConfigError', (value) => {
    expect(() => loadConfig({ WA_REQUEST_TIMEOUT_MS: value })).toThrow(ConfigError);
  });
});

describe('WA_WEBHOOK_LOG_KEEP', () => {
  it('keeps the newest 10,000 callbacks unless set; 0 keeps only the pending ones', () => {
    expect(loadConfig({}).webhookLogKeep).toBe(10_000);
    expect(loadConfig({ WA_WEBHOOK_LOG_KEEP: '250' }).webhookLogKeep).toBe(250);
    expect(loadConfig({ WA_WEBHOOK_LOG_KEEP: '0' }).webhookLogKeep).toBe(0);
  });

  it.each(['-1', '1.5', 'all', '1e3', '99999999999999999999'])('refuses %j with a ConfigError', (value) => {
    expect(() => loadConfig({ WA_WEBHOOK_LOG_KEEP: value })).toThrow(
      `WA_WEBHOOK_LOG_KEEP must be a whole number of callbacks, got "${value}"`,
    );
  });
});

// Every whole-number variable is read alike: decimal digits only, so a 1e3, 0x50 or 80.0 is
// refused where Number() would have taken it.
describe('PORT, WA_CHECK_DELAY_MS, WA_CHECK_QUEUE_MAX', () => {
  it('read decimal digits, with their defaults unless set', () => {
    expect(loadConfig({})).toMatchObject({ port: 8080, checkDelayMs: 0, checkQueueMax: 100_000 });
    expect(loadConfig({ PORT: '0', WA_CHECK_DELAY_MS: '250', WA_CHECK_QUEUE_MAX: '10000' })).toMatchObject({
      port: 0,
      checkDelayMs: 250,
      checkQueueMax: 10_000,
    });
  });

  it.each(['-1', '65536', '80.0', '0x50', '1e3', 'http'])('refuses PORT=%j', (value) => {
    expect(() => loadConfig({ PORT: value })).toThrow(`PORT must be a port number, got "${value}"`);
  });

  it.each(['-1', '1.5', '1e3', '0x10', 'soon'])('refuses WA_CHECK_DELAY_MS=%j', (value) => {
    expect(() => loadConfig({ WA_CHECK_DELAY_MS: value })).toThrow(
      `WA_CHECK_DELAY_MS must be a whole number of milliseconds, got "${value}"`,
    );
  });

  it.each(['9999', '1e5', '0x186a0', '100000.5', 'many'])('refuses WA_CHECK_QUEUE_MAX=%j', (value) => {
    expect(() => loadConfig({ WA_CHECK_QUEUE_MAX: value })).toThrow(
      `WA_CHECK_QUEUE_MAX must be a whole number of at least 10000, got "${value}"`,
    );
  });
});
