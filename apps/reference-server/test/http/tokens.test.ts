import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/domain/passwords.js';
import { upsertUser } from '../../src/storage/index.js';
import { expectError } from '../support/errors.js';
import { login, TEST_PASSWORD, useServer } from '../support/harness.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

/** Logout, and password changes revoking the user's other tokens (in the database and the token cache). */

const OPS = { username: 'ops', password: 'Ops-Passw0rd!' } as const;

eachStorage([pgliteMemory, postgres], (target) => {
  const h = useServer({ target });
  let password = TEST_PASSWORD;
  beforeAll(async () => {
    await upsertUser(h.server.db, {
      username: OPS.username,
      passwordHash: await hashPassword(OPS.password),
      mustChangePassword: false,
      updatedAt: h.now(),
    });
  });

  const settingsWith = (token: string) => h.api.call('getApplicationSettings', { token });

  describe('POST /v1/users/logout', () => {
    it("answers Meta's Postman request (Bearer, Content-Type: application/json, empty body) with 200 and meta only", async () => {
      const token = await login(h.api, 'admin', password);
      const res = await h.api.call('logout', { token, rawBody: '' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ meta: { api_status: 'stable', version: h.config.apiVersion } });
    });

    it('revokes the token it was called with, and only that one', async () => {
      const gone = await login(h.api, 'admin', password);
      const kept = await login(h.api, 'admin', password);
      const other = await login(h.api, OPS.username, OPS.password);
      // Used once, so the process has it cached: logout must drop it there too.
      expect((await settingsWith(gone)).status).toBe(200);
      expect((await h.api.call('logout', { token: gone })).status).toBe(200);
      expectError(await settingsWith(gone), 401, 1005);
      expectError(await h.api.call('logout', { token: gone }), 401, 1005);
      expect((await settingsWith(kept)).status).toBe(200);
      expect((await settingsWith(other)).status).toBe(200);
    });

    it('refuses a missing or unknown token with 401/1005 and WWW-Authenticate: Bearer', async () => {
      for (const res of [
        await h.api.call('logout', { token: null }),
        await h.api.call('logout', { token: 'garbage' }),
      ]) {
        expectError(res, 401, 1005);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="WhatsApp"');
      }
    });
  });

  describe('password change', () => {
    it("revokes the user's earlier tokens, cached or not; the new token works; other users' tokens are untouched", async () => {
      const cached = await login(h.api, 'admin', password);
      const uncached = await login(h.api, 'admin', password);
      const other = await login(h.api, OPS.username, OPS.password);
      expect((await settingsWith(cached)).status).toBe(200);
      expect((await settingsWith(other)).status).toBe(200);

      const next = 'Ch4nged-Passw0rd!';
      const fresh = await login(h.api, 'admin', password, next);
      password = next;

      expectError(await settingsWith(cached), 401, 1005);
      expectError(await settingsWith(uncached), 401, 1005);
      expect((await settingsWith(fresh)).status).toBe(200);
      expect((await settingsWith(other)).status).toBe(200);
    });
  });

  describe('WWW-Authenticate on 401', () => {
    it('names Basic on a refused login', async () => {
      const res = await h.api.call('login', { basic: { username: 'admin', password: 'Wrong-Passw0rd!' } });
      expectError(res, 401, 1005);
      expect(res.headers['www-authenticate']).toBe('Basic realm="WhatsApp"');
    });

    it('names Bearer on a refused API call', async () => {
      const res = await h.api.call('getApplicationSettings', { token: 'garbage' });
      expectError(res, 401, 1005);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="WhatsApp"');
    });
  });
});
