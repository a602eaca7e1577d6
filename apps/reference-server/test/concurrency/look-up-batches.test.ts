import { expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.js';
import { numberSequence } from '../support/harness.js';
import { type LiveServer, useLiveServers } from '../support/live-server.js';
import { eachStorage, pgliteDir, postgres } from '../support/storage-targets.js';

/**
 * Look-ups stored in batches (domain/look-up-batches.ts), by real server processes: one on
 * PGlite, two on one PostgreSQL database. Simultaneous force_checks of the same numbers, from
 * every instance, each get every answer, are counted in full by the misuse rule, and leave one
 * cached result per number; a number taken off WhatsApp while force_checks of it keep arriving is
 * `invalid` for every force_check sent after the change was acknowledged, whichever instance.
 */

const SAME = 50;
const REQUESTS_PER_INSTANCE = 24;
const ROUNDS = 10;
const TIMEOUT = 180_000;

const start = useLiveServers();

type Entry = { input: string; status: string; wa_id?: string };
const contactsOf = (res: Awaited<ReturnType<ApiClient['call']>>): Entry[] => {
  expect(res.status, res.text).toBe(200);
  return (res.body as { contacts: Entry[] }).contacts;
};
const checkedOf = async (api: ApiClient): Promise<number> => {
  const res = await api.call('getMisuse');
  expect(res.status, res.text).toBe(200);
  return (res.body as { checked: number }).checked;
};

eachStorage([pgliteDir, postgres], (target) => {
  const instances = target === postgres ? 2 : 1;
  it(
    `answers, counts and caches ${instances * REQUESTS_PER_INSTANCE} simultaneous force_checks of the same ${SAME} numbers`,
    async () => {
      const storage = await target.create();
      const started: LiveServer[] = [];
      try {
        // v2.41: a number without an account is `invalid` (from v2.43 every readable number is `valid`).
        const env = { ...storage.env, WA_MISUSE_POLICY: 'warn', WA_API_VERSION: '2.41' };
        for (let i = 0; i < instances; i++) started.push(await start(env));
        const apis = started.map((s) => s.api);
        const next = numberSequence();
        const same = Array.from({ length: SAME }, next);
        const inputs = same.map((n) => `+${n}`);
        const forceCheck = (api: ApiClient, contacts: string[]) =>
          api.call('checkContacts', { body: { blocking: 'wait', force_check: true, contacts } });

        const answers = await Promise.all(
          apis.flatMap((api) => Array.from({ length: REQUESTS_PER_INSTANCE }, () => forceCheck(api, inputs))),
        );
        const expected = same.map((n, i) => ({ input: inputs[i], status: 'valid', wa_id: n }));
        for (const res of answers) expect(contactsOf(res)).toEqual(expected);
        const asked = instances * REQUESTS_PER_INSTANCE * SAME;
        expect(await Promise.all(apis.map(checkedOf))).toEqual(apis.map(() => asked));

        // Stored: a check without force_check finds every number cached in every instance (nothing asked, nothing counted).
        for (const api of apis) {
          const res = await api.call('checkContacts', { body: { blocking: 'no_wait', contacts: inputs } });
          expect(contactsOf(res)).toEqual(expected);
        }
        expect(await checkedOf(apis[0]!)).toBe(asked);

        // Taken off WhatsApp while force_checks of it keep coming: every one sent after the change is `invalid`.
        const [a, b] = [apis[0]!, apis.at(-1)!];
        const target = same[0]!;
        for (let round = 0; round < ROUNDS; round++) {
          const off = round % 2 === 0;
          const before = Array.from({ length: 8 }, (_, i) => forceCheck(apis[i % instances]!, [`+${target}`]));
          const changed = off
            ? await a.call('deleteAccount', { params: { wa_id: target } })
            : await a.call('registerAccount', { params: { wa_id: target } });
          expect(changed.status, changed.text).toBeLessThan(300);
          const after = await Promise.all(Array.from({ length: 4 }, () => forceCheck(b, [`+${target}`])));
          for (const res of after) expect(contactsOf(res)[0]!.status, `round ${round}`).toBe(off ? 'invalid' : 'valid');
          for (const res of await Promise.all(before)) expect(res.status).toBe(200);
        }
      } finally {
        await Promise.all(started.map((s) => s.server.stop()));
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
