import { beforeEach, describe, expect, it, vi } from 'vitest';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

const derivations = vi.hoisted(() => ({ count: 0 }));

// Counts the scrypt key derivations the server runs (passwords.ts imports scrypt from here).
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  const scrypt = (...args: Parameters<typeof original.scrypt>) => {
    derivations.count++;
    return original.scrypt(...args);
  };
  return { ...original, scrypt, default: { ...original, scrypt } };
});

describe('a failed login costs one key derivation, known user or not', () => {
  const h = useServer({ login: 'none' });
  beforeEach(() => {
    derivations.count = 0;
  });

  it.each([
    ['an unknown user', 'nobody'],
    ['a known user with a wrong password', 'admin'],
    ['a username PostgreSQL cannot store (U+0000)', 'ad\u0000min'],
  ])('%s', async (_, username) => {
    expectError(await h.api.call('login', { basic: { username, password: 'Wrong-Passw0rd!' } }), 401, 1005);
    expect(derivations.count).toBe(1);
  });
});
