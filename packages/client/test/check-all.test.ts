// checkAll / checkBatches on the reference server with its limits on and checks that stay
// `processing` for a while (WA_CHECK_DELAY_MS): every number ends final, in input order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactsClient } from '../src/index.js';
import { checkAll, checkBatches, type CheckProgress } from '../src/bulk.js';
import { startReferenceServer, type RunningServer } from '@wa-contacts/test-kit';

const admin = { username: 'admin', password: 'Str0ng-Passw0rd!' };
let server: RunningServer;

beforeAll(async () => {
  server = await startReferenceServer({
    from: import.meta.url,
    env: { WA_RATE_LIMIT: '5/5', WA_CHECK_DELAY_MS: '300', WA_ADMIN_PASSWORD: admin.password },
    timeoutMs: 45_000,
  });
});
afterAll(async () => {
  await server?.stop();
});

const numbers = [
  '+1 631-555-2001',
  'not a number',
  '16315552002',
  '+1 (631) 555-2003',
  '+44 20 7946 0958',
  '+16315552001',
  '1631555',
];
const expected = [
  { input: '+1 631-555-2001', status: 'valid', wa_id: '16315552001' },
  { input: 'not a number', status: 'failed' },
  { input: '16315552002', status: 'valid', wa_id: '16315552002' },
  { input: '+1 (631) 555-2003', status: 'valid', wa_id: '16315552003' },
  { input: '+44 20 7946 0958', status: 'valid', wa_id: '442079460958' },
  { input: '+16315552001', status: 'valid', wa_id: '16315552001' },
  { input: '1631555', status: 'failed' },
];

describe('checking a list', () => {
  it('splits it, asks again while numbers are processing, and reports progress up to the total', async () => {
    const answers: string[] = [];
    const client = createContactsClient({
      baseUrl: server.url,
      credentials: admin,
      retry: true,
      fetch: async (request) => {
        const response = await fetch(request);
        if (new URL(request.url).pathname === '/v1/contacts') {
          const { contacts = [] } = (await response.clone().json()) as { contacts?: { status: string }[] };
          answers.push(contacts.map((c) => c.status).join(','));
        }
        return response;
      },
    });
    const progress: CheckProgress[] = [];
    const results = await checkAll(client, numbers, {
      batchSize: 3,
      concurrency: 2,
      pollIntervalMs: 100,
      onProgress: (p) => progress.push(p),
    });
    expect(results).toEqual(expected);
    // The first answer of the first batch: its readable new numbers were still being checked.
    expect(answers[0]).toBe('processing,failed,processing');
    expect(progress.at(-1)).toEqual({ done: 7, total: 7 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  }, 60_000);

  it('yields batches in input order with their offsets', async () => {
    const client = createContactsClient({ baseUrl: server.url, credentials: admin, retry: true });
    const offsets: number[] = [];
    for await (const batch of checkBatches(client, numbers, { batchSize: 2, concurrency: 3, pollIntervalMs: 50 })) {
      offsets.push(batch.offset);
      expect(batch.results).toEqual(expected.slice(batch.offset, batch.offset + 2));
    }
    expect(offsets).toEqual([0, 2, 4, 6]);
  }, 60_000);

  it('refuses a batch size above the server maximum', async () => {
    const client = createContactsClient({ baseUrl: server.url, credentials: admin });
    await expect(checkAll(client, numbers, { batchSize: 10_001 })).rejects.toThrow(
      'batchSize must be an integer from 1 to 10000, got 10001',
    );
  });
});
