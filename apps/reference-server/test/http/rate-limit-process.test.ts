import { createApiSession } from '@wa-contacts/test-kit/api';
import { expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/harness.js';
import { useServerProcesses } from '../support/process-server.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

const TIMEOUT = 120_000;
const VALID = 50;
const BAD_TOKENS = 30;

/**
 * A real burst of concurrent requests against `node dist/main.js`: with a bucket of 60 that
 * refills one token every 1,000 s, exactly 60 requests get past the limit, whatever their
 * credentials, and the other 20 are answered 429/1015 with Retry-After.
 */
eachStorage([pgliteMemory, postgres], (target) => {
  const start = useServerProcesses();

  it(
    'lets exactly 60 of 80 concurrent requests through, the 20 others get 429/1015 with Retry-After 1000',
    async () => {
      const storage = await target.create();
      try {
        const server = await start({ ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD, WA_RATE_LIMIT: '0.001/60' });
        const api = await createApiSession(server.url, { username: 'admin', password: TEST_PASSWORD });

        const call = async (authorization?: string) => {
          const res = await api.request('GET', '/v1/settings/application', { authorization });
          const body = res.json as { errors?: Array<{ code: number; details: string }> };
          return { status: res.status, retryAfter: res.headers['retry-after'], body };
        };
        const answers = await Promise.all([
          ...Array.from({ length: VALID }, () => call()),
          ...Array.from({ length: BAD_TOKENS }, () => call('Bearer not-a-token')),
        ]);
        const limited = answers.filter((a) => a.status === 429);
        const passed = answers.filter((a) => a.status !== 429);
        expect({ limited: limited.length, passed: passed.length }).toEqual({ limited: 20, passed: 60 });
        expect(passed.filter((a) => a.status !== 200 && a.status !== 401)).toEqual([]);
        for (const answer of limited) {
          expect({ retryAfter: answer.retryAfter, errors: answer.body.errors }).toEqual({
            retryAfter: '1000',
            errors: [
              {
                code: 1015,
                title: 'Too many requests',
                details: 'Too many requests to GET /v1/settings/application. Try again in 1000 seconds.',
              },
            ],
          });
        }
        // Another operation has a bucket of its own.
        const other = await api.request('GET', '/v1/contacts/blocklist');
        expect(other.status).toBe(200);
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
