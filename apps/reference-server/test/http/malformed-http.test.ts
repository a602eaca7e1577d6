import { createApiSession } from '@wa-contacts/test-kit/api';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/harness.js';
import { useServerProcesses } from '../support/process-server.js';
import { rawExchange, type RawAnswer } from '../support/raw-http.js';

const TIMEOUT = 60_000;
const REQUEST_TIMEOUT_MS = 1_000;
const META = { api_status: 'stable', version: 'v2.45.1' };
const TIMED_OUT = `The request was not received in time: headers within ${REQUEST_TIMEOUT_MS} ms, the whole request within ${REQUEST_TIMEOUT_MS} ms.`;

/** The answer Node's parser refusals and timeouts get: the errors envelope, then a closed connection. */
function expectRefusal(answer: RawAnswer, status: number, statusText: string, details: string): void {
  expect({ status: answer.status, closed: answer.closed, body: answer.body }, answer.text).toEqual({
    status,
    closed: true,
    body: { meta: META, errors: [{ code: 1009, title: 'Parameter value is not valid', details }] },
  });
  expect(answer.text.startsWith(`HTTP/1.1 ${status} ${statusText}\r\n`)).toBe(true);
  expect(answer.headers).toMatchObject({ connection: 'close', 'content-type': 'application/json; charset=utf-8' });
}

describe('malformed HTTP and timeouts (node dist/main.js, WA_REQUEST_TIMEOUT_MS=1000)', () => {
  const start = useServerProcesses();
  const server = () => start({ WA_ADMIN_PASSWORD: TEST_PASSWORD, WA_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  const portOf = (url: string) => Number(new URL(url).port);

  it(
    'answers bad request lines, control characters and oversized headers in the envelope',
    async () => {
      const port = portOf((await server()).url);
      expectRefusal(
        await rawExchange(port, ['GARBAGE\r\n\r\n'], { limitMs: 10_000 }),
        400,
        'Bad Request',
        'The request is not valid HTTP/1.1: Invalid method encountered (HPE_INVALID_METHOD).',
      );
      expectRefusal(
        await rawExchange(port, ['GET /v1/settings/application HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'], {
          limitMs: 10_000,
        }),
        400,
        'Bad Request',
        'The request is not valid HTTP/1.1: Invalid header value char (HPE_INVALID_HEADER_TOKEN).',
      );
      expectRefusal(
        await rawExchange(
          port,
          [`GET /v1/settings/application HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
          { limitMs: 10_000 },
        ),
        431,
        'Request Header Fields Too Large',
        'The request headers are larger than 16384 bytes.',
      );
    },
    TIMEOUT,
  );

  it(
    'answers headers that never end with 408 in the envelope',
    async () => {
      const port = portOf((await server()).url);
      expectRefusal(
        await rawExchange(port, ['GET /v1/settings/application HTTP/1.1\r\nHost: x\r\n'], { limitMs: 20_000 }),
        408,
        'Request Timeout',
        TIMED_OUT,
      );
    },
    TIMEOUT,
  );

  it(
    'cuts a body that trickles (a byte every 100 ms) with 408 in the envelope',
    async () => {
      const running = await server();
      const { token } = await createApiSession(running.url, { username: 'admin', password: TEST_PASSWORD });
      const head = `POST /v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`;
      // 200 bytes at most (20 s): far fewer than the 1,000 announced, so only the timeout can end it.
      const answer = await rawExchange(portOf(running.url), [head, ...Array<string>(200).fill(' ')], {
        intervalMs: 100,
        limitMs: 25_000,
      });
      expectRefusal(answer, 408, 'Request Timeout', TIMED_OUT);
    },
    TIMEOUT,
  );

  it(
    'gives a request answered while its body still comes no second answer when the request times out',
    async () => {
      const running = await server();
      // No credentials: 401 at once, then Node drops the body as it trickles past the 1 s timeout.
      const head = `POST /v1/contacts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`;
      const answer = await rawExchange(portOf(running.url), [head, ...Array<string>(50).fill(' ')], {
        intervalMs: 100,
        limitMs: 20_000,
      });
      expect({
        status: answer.status,
        answers: answer.text.split('HTTP/1.1 ').length - 1,
        closed: answer.closed,
      }).toEqual({ status: 401, answers: 1, closed: true });
    },
    TIMEOUT,
  );
});
