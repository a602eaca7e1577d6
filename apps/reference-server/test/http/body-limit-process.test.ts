import { createApiSession } from '@wa-contacts/test-kit/api';
import { expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/harness.js';
import { useServerProcesses } from '../support/process-server.js';
import { eachStorage, pgliteMemory, postgres } from '../support/storage-targets.js';

const TIMEOUT = 120_000;
const UPLOADS = 10;
const FIVE_MIB = 5 * 1024 * 1024;

/**
 * A client still sending a body over the limit reads the 413: the server drops the rest of
 * the body before it closes, instead of resetting the connection under the client (EPIPE).
 */
eachStorage([pgliteMemory, postgres], (target) => {
  const start = useServerProcesses();

  it(
    `answers ${UPLOADS} concurrent 5 MiB uploads each with 413/1009, none with a reset`,
    async () => {
      const storage = await target.create();
      try {
        const server = await start({ ...storage.env, WA_ADMIN_PASSWORD: TEST_PASSWORD });
        const { bearer } = await createApiSession(server.url, { username: 'admin', password: TEST_PASSWORD });
        const body = JSON.stringify({ contacts: ['x'.repeat(FIVE_MIB)] });
        const upload = async (chunked: boolean) => {
          try {
            // fetch, not the ApiSession: a stream has no Content-Length, the limit is found while reading (chunked).
            const payload = chunked ? new Blob([body]).stream() : body;
            const res = await fetch(`${server.url}/v1/contacts`, {
              method: 'POST',
              headers: { authorization: bearer!, 'content-type': 'application/json' },
              body: payload,
              ...(chunked ? { duplex: 'half' } : {}),
            } as RequestInit);
            return { status: res.status, connection: res.headers.get('connection'), body: await res.json() };
          } catch (error) {
            return { error: String((error as { cause?: unknown }).cause ?? error) };
          }
        };
        const answers = await Promise.all(Array.from({ length: UPLOADS }, (_, i) => upload(i % 2 === 1)));
        const expected = {
          status: 413,
          connection: 'close',
          body: {
            meta: { api_status: 'stable', version: 'v2.45.1' },
            errors: [
              {
                code: 1009,
                title: 'Parameter value is not valid',
                details: 'Request body is larger than 1048576 bytes.',
              },
            ],
          },
        };
        expect(answers).toEqual(Array<unknown>(UPLOADS).fill(expected));
      } finally {
        await storage.cleanup();
      }
    },
    TIMEOUT,
  );
});
