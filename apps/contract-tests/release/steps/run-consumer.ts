// Step 8: the consumer's compiled sample against a reference server of the copy: it must resolve
// Meta's five example numbers to their wa_ids.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type RunningServer, startReferenceServer } from '@wa-contacts/test-kit';
import { type Context, check, Failure } from '../context.js';
import { cleanEnv } from '../environment.js';
import { runOk } from '../processes.js';

const EXPECTED_WA_IDS = ['16315551000', '16315551001', '16315551002', '16315551004', '16315551005'];

export interface ConsumerServer {
  server: RunningServer;
  password: string;
}

/** The copy's reference server (memory database), started while the consumer installs. */
export async function startConsumerServer(ctx: Context): Promise<ConsumerServer> {
  const started = Date.now();
  const password = `Consumer-${randomBytes(6).toString('hex')}-Aa1!`;
  // test-kit passes on none of this process's server variables: CI exports a DATABASE_URL, and
  // that shared database already holds an admin password.
  const server = await startReferenceServer({
    main: join(ctx.work, 'apps/reference-server/dist/main.js'),
    cwd: join(ctx.work, 'apps/reference-server'),
    baseEnv: cleanEnv(ctx.root),
    env: { WA_ADMIN_PASSWORD: password },
  }).catch((error: Error) => {
    throw new Failure(error.message);
  });
  ctx.timed('reference server start', started);
  ctx.log(`reference server (memory database) on ${server.url}`);
  return { server, password };
}

/** Returns what the sample printed. */
export async function runConsumer(ctx: Context, dir: string, { server, password }: ConsumerServer): Promise<string> {
  const output = await runOk(ctx, 'consumer: node dist/sample.js', process.execPath, ['dist/sample.js'], {
    cwd: dir,
    env: cleanEnv(ctx.root, { WA_BASE_URL: server.url, WA_USERNAME: 'admin', WA_PASSWORD: password }),
    prefix: '  │ sample │ ',
    timeoutMs: 60_000,
  });
  for (const waId of EXPECTED_WA_IDS) {
    check(new RegExp(`→ valid ${waId}\\b`).test(output), `consumer: the sample did not print "valid ${waId}"`);
  }
  check(
    output.includes('All 5 numbers resolved to the expected wa_ids.'),
    'consumer: the sample did not report success',
  );
  return output.trim();
}
