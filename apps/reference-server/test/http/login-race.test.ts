import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApiClient, fetchTransport, type ApiClient } from '../support/api-client.js';
import { expectError } from '../support/errors.js';
import { FACTORY } from '../support/harness.js';
import { useServerProcesses } from '../support/process-server.js';
import { eachStorage, pgliteDir, postgres, type StorageInstance } from '../support/storage-targets.js';

/**
 * Racing password changes over real HTTP against `node dist/main.js`: of ten simultaneous
 * first logins of the factory account, each with its own new_password, exactly one may win.
 */

const RACERS = 10;
const TIMEOUT = 120_000;
const passwordOf = (i: number) => `Racer-${i}-Passw0rd!`;

eachStorage([pgliteDir, postgres], (target) => {
  const start = useServerProcesses();
  let storage: StorageInstance | undefined;
  afterEach(async () => {
    await storage?.cleanup();
    storage = undefined;
  });

  async function factoryServer(): Promise<ApiClient> {
    storage = await target.create();
    // No WA_ADMIN_PASSWORD: the factory account, whose first login must change the password.
    const env = { ...storage.env, LOG_LEVEL: 'silent', WA_RATE_LIMIT: 'off' };
    const server = await start(env);
    return createApiClient(fetchTransport(server.url), { version: loadConfig(env).apiVersion });
  }

  it(
    'lets exactly one of ten concurrent first logins change the password; the others get 401/1005 and no token',
    async () => {
      const api = await factoryServer();
      const answers = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          api.call('login', { basic: FACTORY, body: { new_password: passwordOf(i) } }),
        ),
      );
      const winners = answers.flatMap((res, i) => (res.status === 200 ? [i] : []));
      expect(winners).toHaveLength(1);
      for (const [i, res] of answers.entries()) if (i !== winners[0]) expectError(res, 401, 1005);

      const logins = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          api.call('login', { basic: { username: 'admin', password: passwordOf(i) } }),
        ),
      );
      expect(logins.map((res) => res.status)).toEqual(
        Array.from({ length: RACERS }, (_, i) => (i === winners[0] ? 200 : 401)),
      );
      expectError(await api.call('login', { basic: FACTORY }), 401, 1005);
    },
    TIMEOUT,
  );

  it(
    'lets exactly one of ten concurrent later password changes win',
    async () => {
      const api = await factoryServer();
      const first = 'F1rst-Passw0rd!';
      expect((await api.call('login', { basic: FACTORY, body: { new_password: first } })).status).toBe(200);
      const answers = await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          api.call('login', { basic: { username: 'admin', password: first }, body: { new_password: passwordOf(i) } }),
        ),
      );
      expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
      expect(answers.filter((res) => res.status === 401)).toHaveLength(RACERS - 1);
      const logins = await Promise.all(
        [first, ...Array.from({ length: RACERS }, (_, i) => passwordOf(i))].map((password) =>
          api.call('login', { basic: { username: 'admin', password } }),
        ),
      );
      expect(logins.map((res) => res.status)).toEqual([401, ...answers.map((res) => res.status)]);
    },
    TIMEOUT,
  );
});
