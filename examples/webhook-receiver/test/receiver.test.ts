// The receiver as a program (node dist/main.js) against the reference server (node dist/main.js),
// on PGlite and, with DATABASE_URL, on PostgreSQL: a user_identity_changed POSTed to the receiver
// is acknowledged on the server (GET then PUT identity), and sends to the user work again.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContactsClient, WhatsAppApiError, type ContactsClient } from '@wa-contacts/client';
import { createSandboxClient, type SandboxClient } from '@wa-contacts/client/sandbox';
import {
  cleanEnv,
  freshDatabase,
  startReferenceServer,
  startServer,
  type FreshDatabase,
  type RunningServer,
} from '@wa-contacts/test-kit';

const PASSWORD = 'Str0ng-Passw0rd!';
const RECEIVER_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const targets = [
  { name: 'PGlite', databaseUrl: undefined },
  ...(process.env.DATABASE_URL ? [{ name: 'PostgreSQL', databaseUrl: process.env.DATABASE_URL }] : []),
];

function identityChanged(waId: string, hash: string) {
  return {
    messages: [
      {
        from: waId,
        id: 'gBGGFlA5FpafAgkOuJbRq54qwbM',
        timestamp: '1764946860',
        type: 'system',
        system: { type: 'user_identity_changed', identity: hash, user: waId },
      },
    ],
  };
}

async function post(url: string, body: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: await response.json() };
}

async function refusalCode(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WhatsAppApiError);
  return (error as WhatsAppApiError).code;
}

describe.each(targets)('the webhook receiver on the reference server ($name)', ({ databaseUrl }) => {
  let database: FreshDatabase | undefined;
  let server: RunningServer;
  let receiver: RunningServer;
  let contacts: ContactsClient;
  let sandbox: SandboxClient;

  beforeAll(async () => {
    database = databaseUrl ? await freshDatabase(databaseUrl, { prefix: 'wa_webhook_receiver' }) : undefined;
    server = await startReferenceServer({
      from: import.meta.url,
      env: database ? { DATABASE_URL: database.url } : {},
    });
    // The factory account sets its password at its first login; the receiver logs in with the new one.
    contacts = createContactsClient({
      baseUrl: server.url,
      credentials: { username: 'admin', password: 'secret', newPassword: PASSWORD },
    });
    await contacts.updateApplicationSettings({ show_security_notifications: true });
    sandbox = createSandboxClient({ from: contacts });
    receiver = await startServer({
      name: 'the webhook receiver',
      command: process.execPath,
      args: [RECEIVER_MAIN],
      env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', WA_BASE_URL: server.url, WA_PASSWORD: PASSWORD }),
      ready: /webhook receiver on (http:\/\/\S+)/,
    });
  });
  afterAll(async () => {
    await receiver?.stop();
    await server?.stop();
    await database?.drop();
  });

  it('acknowledges a user_identity_changed, after which a send to the user works again', async () => {
    const waId = '16315558000';
    await sandbox.registerAccount(waId, { identityHash: 'UKD6Y/5SqDU=' });
    const hash = await sandbox.changeIdentity(waId);
    expect(await contacts.getIdentity(waId)).toMatchObject({ hash, acknowledged: false });
    expect(await refusalCode(sandbox.sendMessage(waId))).toBe(1028);

    const answer = await post(receiver.url, JSON.stringify(identityChanged(waId, hash)));

    expect(answer).toEqual({ status: 200, body: { received: 1 } });
    expect(await contacts.getIdentity(waId)).toEqual({
      hash,
      created_timestamp: expect.any(Number),
      acknowledged: true,
    });
    await expect(sandbox.sendMessage(waId)).resolves.toBe('sent');
    expect(receiver.output()).toContain(`user_identity_changed → acknowledged ${hash} of ${waId}`);
  });

  it('answers 400 to a body that is not a callback, and acknowledges nothing', async () => {
    const waId = '16315558001';
    await sandbox.registerAccount(waId, { identityHash: 'UKD6Y/5SqDU=' });
    const hash = await sandbox.changeIdentity(waId);
    const broken = identityChanged(waId, hash);
    delete (broken.messages[0]!.system as { user?: string }).user;

    const answer = await post(receiver.url, JSON.stringify(broken));

    expect(answer).toEqual({
      status: 400,
      body: { error: "Not a webhook callback: /messages/0/system must have required property 'user'" },
    });
    expect(await contacts.getIdentity(waId)).toMatchObject({ hash, acknowledged: false });
  });
});
