import { describe, expect, it } from 'vitest';
import { cleanEnv } from '../src/index.js';

describe('cleanEnv', () => {
  const base = {
    PATH: '/usr/bin',
    HOME: '/home/ci',
    DATABASE_URL: 'postgres://ci@127.0.0.1/shared',
    WA_SANDBOX: 'off',
    WA_ADMIN_PASSWORD: 'from-ci',
    HOST: '0.0.0.0',
    PORT: '8080',
    LOG_LEVEL: 'debug',
    WAREHOUSE: 'kept: not a WA_ variable',
  };

  it('drops every variable the reference server reads, and keeps the rest', () => {
    expect(cleanEnv({}, base)).toEqual({ PATH: '/usr/bin', HOME: '/home/ci', WAREHOUSE: 'kept: not a WA_ variable' });
  });

  it('adds what the caller passes explicitly, and removes what it sets to undefined', () => {
    expect(cleanEnv({ WA_DATA_DIR: 'memory', PORT: '0', HOME: undefined }, base)).toEqual({
      PATH: '/usr/bin',
      WAREHOUSE: 'kept: not a WA_ variable',
      WA_DATA_DIR: 'memory',
      PORT: '0',
    });
  });

  it('starts from process.env by default', () => {
    process.env.WA_TEST_KIT_PROBE = 'leaks';
    try {
      const env = cleanEnv();
      expect(env.PATH).toBe(process.env.PATH);
      expect(env).not.toHaveProperty('WA_TEST_KIT_PROBE');
    } finally {
      delete process.env.WA_TEST_KIT_PROBE;
    }
  });
});
