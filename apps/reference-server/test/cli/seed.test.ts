import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, createApiSession, startServer, type RunningServer } from '@wa-contacts/test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/storage/repositories/settings.js';
import { ensureBuilt, PACKAGE_ROOT } from '../support/process-server.js';

// `wa-contacts-server --seed FILE`: the bin, its flag, and the state the server starts from.
const { bin } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const BIN = join(PACKAGE_ROOT, bin['wa-contacts-server']!);
const PASSWORD = 'Seed-Passw0rd!';
const NOW = Date.UTC(2030, 0, 1);

const SEED = {
  now: NOW,
  settings: { show_security_notifications: true },
  accounts: [
    {
      wa_id: '16315550401',
      has_account: true,
      identity_hash: 'Rc/eg9RQ0JA=',
      identity_created_at: NOW - 1000,
      identity_acknowledged: false,
      updated_at: NOW - 1000,
    },
  ],
  inbound_messages: [{ id: 'wamid.seed-1', wa_id: '16315550402', body: 'Hello', received_at: NOW - 60_000 }],
  blocks: [{ wa_id: '16315550403', reason: 'Spam', blocked_at: NOW - 30_000 }],
};

describe('--seed FILE', () => {
  let dir: string;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    ensureBuilt();
    dir = await mkdtemp(join(tmpdir(), 'wa-seed-'));
  }, 120_000);
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts the server from the seed: missing lists empty, the clock moved to its time', async () => {
    const file = join(dir, 'seed.json');
    await writeFile(file, JSON.stringify(SEED));
    server = await startServer({
      name: 'wa-contacts-server --seed',
      command: process.execPath,
      args: [BIN, '--port', '0', '--data-dir', 'memory', '--admin-password', PASSWORD, '--seed', file],
      env: cleanEnv({ LOG_LEVEL: 'warn', WA_RATE_LIMIT: 'off' }),
      ready: /reference server on (http:\/\/\S+)/,
    });
    const api = await createApiSession(server.url, { username: 'admin', password: PASSWORD });
    const res = await api.request('GET', '/sandbox/snapshot');
    expect(res.status).toBe(200);
    const { snapshot } = res.json as { snapshot: typeof SEED & { now: number } };
    expect(snapshot.now).toBeGreaterThanOrEqual(NOW);
    expect({ ...snapshot, now: NOW }).toEqual({
      ...SEED,
      settings: { ...DEFAULT_SETTINGS, show_security_notifications: true },
      contact_checks: [],
      reports: [],
      misuse: { state: 'ok', warned_at: null, disabled_at: null, counts: [] },
    });
  }, 120_000);

  it('refuses a seed the schema does not allow, before listening (exit 2)', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ blocks: [{ wa_id: '16315550403' }] }));
    const result = spawnSync(process.execPath, [BIN, '--port', '0', '--data-dir', 'memory', '--seed', file], {
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`Configuration error: ${file}: /blocks/0 must have required property 'reason'`);
  }, 120_000);
});
