import { createContactsClient } from '@wa-contacts/client';
import { createSandboxClient, type SandboxSnapshot } from '@wa-contacts/client/sandbox';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

const client = createContactsClient({ baseUrl: inject('waBaseUrl'), credentials: inject('waCredentials') });
const sandbox = createSandboxClient({ from: client });

describe('contacts against the reference server', () => {
  // Every test starts from the same world: the state as it was before the first one.
  let world: SandboxSnapshot;
  beforeAll(async () => {
    world = await sandbox.exportSnapshot();
  });
  beforeEach(async () => {
    await sandbox.restoreSnapshot(world);
  });

  it('resolves a number to its wa_id', async () => {
    expect(await client.checkContacts(['+1 631-555-1000'], { wait: true })).toEqual([
      { input: '+1 631-555-1000', status: 'valid', wa_id: '16315551000' },
    ]);
  });

  it('blocks a contact that wrote in', async () => {
    await sandbox.receiveMessage({ from: '16315551001', text: 'Hello' });
    await client.blockContact('+16315551001', { reason: 'Spam' });
    expect((await client.getBlocklist()).contacts.map((c) => c.wa_id)).toEqual(['16315551001@s.whatsapp.net']);
  });

  it('starts with an empty blocklist again', async () => {
    expect((await client.getBlocklist()).contacts).toEqual([]);
  });
});
