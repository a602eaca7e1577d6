// The callback half of the gate: the reference server's real callbacks (inbound message, identity
// change, statuses sent/delivered/failed) go through a relay that breaks them in one way per case,
// to a receiver that judges each with the contract toolkit's checkCallback. The gate must pass
// on the untouched callbacks and fail on a wrong type and on a missing field.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiSession, startReferenceServer, type ApiSession, type RunningServer } from '@wa-contacts/test-kit';
import { checkCallback } from '@wa-contacts/test-kit/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'Contract-Test-1!';
/** A callback as JSON, changed in place by a breakage. */
type Callback = { messages?: Array<Record<string, unknown>>; statuses?: Array<Record<string, unknown>> };
type Breakage = (callback: Callback) => void;

let server: RunningServer;
let relay: Server;
let api: ApiSession;
let breakage: Breakage = () => {};
let judged: { problems: string[] }[] = [];

beforeAll(async () => {
  server = await startReferenceServer({
    from: import.meta.url,
    env: { WA_ADMIN_PASSWORD: PASSWORD, WA_RATE_LIMIT: 'off' },
  });
  // The relay is the webhook: it breaks each callback as the case says, then judges it.
  relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const callback = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Callback;
      breakage(callback);
      judged.push({ problems: checkCallback(JSON.stringify(callback)) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  api = await createApiSession(server.url, { username: 'admin', password: PASSWORD });
  const url = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/webhook`;
  await call('PATCH', '/v1/settings/application', { webhooks: { url }, show_security_notifications: true });
}, 90_000);

afterAll(async () => {
  relay?.closeAllConnections();
  await new Promise((resolve) => relay?.close(resolve));
  await server?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: the answers are read as the spec documents them
const call = async (method: string, path: string, json?: unknown): Promise<any> =>
  (await api.request(method, path, { json })).json;

let number = 16315552000;
/** Every kind of callback the server sends, for a new contact; resolves once all 5 were judged. */
async function provokeEveryCallback(): Promise<{ problems: string[] }[]> {
  judged = [];
  const waId = String(number++);
  await call('POST', '/sandbox/inbound', { from: waId, text: 'Hello' }); // messages + contacts + identity
  await call('POST', `/sandbox/accounts/${waId}/identity-change`); // user_identity_changed
  await call('POST', '/sandbox/outbound', { to: `+${waId}` }); // failed, 480
  const { contacts } = await call('GET', `/v1/contacts/${waId}/identity`);
  await call('PUT', `/v1/contacts/${waId}/identity`, { hash: contacts.hash });
  await call('POST', '/sandbox/outbound', { to: `+${waId}` }); // sent, then delivered
  for (let i = 0; i < 200 && judged.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  return judged;
}

describe('the callback gate', () => {
  it('passes on the callbacks as the server sends them', async () => {
    breakage = () => {};
    const verdicts = await provokeEveryCallback();
    expect(verdicts).toHaveLength(5);
    expect(verdicts.flatMap((v) => v.problems)).toEqual([]);
  });

  it('fails on a field of the wrong type (a message timestamp as a number)', async () => {
    breakage = (callback) => {
      for (const message of callback.messages ?? []) message.timestamp = Number(message.timestamp);
    };
    const problems = (await provokeEveryCallback()).flatMap((v) => v.problems);
    expect(problems).toHaveLength(2); // the inbound message and the identity change
    for (const problem of problems) expect(problem).toContain('/messages/0/timestamp must be string');
  });

  it('fails on a missing field (a status without its recipient_id)', async () => {
    breakage = (callback) => {
      for (const status of callback.statuses ?? []) delete status.recipient_id;
    };
    const problems = (await provokeEveryCallback()).flatMap((v) => v.problems);
    expect(problems).toHaveLength(3); // failed, sent, delivered
    for (const problem of problems) expect(problem).toContain("must have required property 'recipient_id'");
  });
});
