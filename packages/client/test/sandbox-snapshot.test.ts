import { describe, expect, it } from 'vitest';
import { createSandboxClient, type SandboxSnapshot } from '../src/sandbox.js';
import { fakeFetch, json } from './support/fake-fetch.js';

const baseUrl = 'http://api.test';
const meta = { api_status: 'experimental', version: 'v2.45.1' } as const;
const snapshot: SandboxSnapshot = {
  now: 1600218494001,
  settings: { show_security_notifications: false },
  accounts: [],
  inbound_messages: [],
  blocks: [{ wa_id: '16315551001', reason: null, blocked_at: 1600218100000 }],
  contact_checks: [],
  reports: [],
  misuse: { state: 'ok', warned_at: null, disabled_at: null, counts: [] },
};

describe('sandbox snapshot helpers', () => {
  it('exportSnapshot returns the snapshot without meta', async () => {
    const { fetch, sent } = fakeFetch(() => json(200, { meta, snapshot }));
    const sandbox = createSandboxClient({ baseUrl, fetch, token: 'tok' });
    await expect(sandbox.exportSnapshot()).resolves.toEqual(snapshot);
    expect(sent).toEqual([
      { method: 'GET', url: `${baseUrl}/sandbox/snapshot`, headers: { authorization: 'Bearer tok' }, body: '' },
    ]);
  });

  it('restoreSnapshot PUTs it and returns the clock', async () => {
    const { fetch, sent } = fakeFetch(() => json(200, { meta, now: 1600218494002 }));
    const sandbox = createSandboxClient({ baseUrl, fetch, token: 'tok' });
    await expect(sandbox.restoreSnapshot(snapshot)).resolves.toBe(1600218494002);
    expect(sent).toEqual([
      {
        method: 'PUT',
        url: `${baseUrl}/sandbox/snapshot`,
        headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
        body: JSON.stringify(snapshot),
      },
    ]);
  });
});
