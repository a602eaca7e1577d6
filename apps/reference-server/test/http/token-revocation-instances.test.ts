import { expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { errorsOf } from '../support/errors.js';
import { TEST_PASSWORD, login } from '../support/harness.js';
import { useLiveServers } from '../support/live-server.js';
import { eachStorage, postgres } from '../support/storage-targets.js';

/**
 * Two server processes on one PostgreSQL database: a token revoked on one (a logout, a password
 * change) is refused by the other for its very next request, though the other had it cached.
 */

const ROUNDS = 10;
const TIMEOUT = 180_000;
const start = useLiveServers();

/** The status (and code) a token gets on an instance. */
async function statusOf(api: ApiClient, token: string): Promise<string> {
  const res = await api.call('getApplicationSettings', { token });
  return res.status === 200 ? '200' : `${res.status}/${errorsOf(res)[0]?.code}`;
}

eachStorage([postgres], (target) => {
  it(
    `refuses on one instance a token logged out or outdated by a password change on the other, ${ROUNDS} times each`,
    async () => {
      const storage = await target.create();
      try {
        const [a, b] = [await start(storage.env), await start(storage.env)];
        let password = TEST_PASSWORD;
        const seen: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const loggedOut = await login(a.api, 'admin', password);
          const beforeLogout = await statusOf(b.api, loggedOut); // now in B's cache
          const logout = await a.api.call('logout', { token: loggedOut });
          expect(logout.status, logout.text).toBe(200);
          seen.push(`logout: ${beforeLogout} → ${await statusOf(b.api, loggedOut)}`);

          const outdated = await login(a.api, 'admin', password);
          const beforeChange = await statusOf(b.api, outdated);
          const old = password;
          password = `Round-${round}-Passw0rd!`;
          const fresh = await login(a.api, 'admin', old, password);
          seen.push(
            `password change: ${beforeChange} → ${await statusOf(b.api, outdated)}, new token ${await statusOf(b.api, fresh)}`,
          );
        }
        expect(seen).toEqual(
          Array.from({ length: ROUNDS }, () => [
            'logout: 200 → 401/1005',
            'password change: 200 → 401/1005, new token 200',
          ]).flat(),
        );
        for (const { server } of [a, b]) expect(await server.stop()).toEqual({ code: 0, signal: null });
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
