import { afterEach, describe, expect, it, vi } from 'vitest';
import { call } from '../src/http.js';
import { startReference, type Target } from '../src/targets.js';

// CI exports DATABASE_URL for the storage tests: the bench's PGlite server must not pick it up.
describe('startReference', () => {
  let target: Target | undefined;
  const saved = { DATABASE_URL: process.env.DATABASE_URL, WA_SANDBOX: process.env.WA_SANDBOX };
  afterEach(async () => {
    await target?.server.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("runs the PGlite server in memory whatever the harness's environment holds", async () => {
    process.env.DATABASE_URL = 'postgres://nobody:nothing@127.0.0.1:1/none';
    process.env.WA_SANDBOX = 'off';
    target = await startReference({ id: 'pglite' });
    await vi.waitFor(() => expect(target!.server.output()).toContain('database: PGlite in memory'));
    // The sandbox (on by default) answers, so WA_SANDBOX=off did not leak in either.
    const res = await call(target.server.url, 'POST', '/sandbox/inbound', {
      headers: { ...target.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ from: '16315550003', text: 'hi' }),
    });
    expect(res.status).toBe(200);
  }, 60_000);
});
