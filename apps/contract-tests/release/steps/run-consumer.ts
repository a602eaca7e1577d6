// Step 8: the consumer's compiled sample against the reference server it installed from Verdaccio,
// started with `npx wa-contacts-server --port 0`: it must resolve Meta's five example numbers to their wa_ids.
import { randomBytes } from 'node:crypto';
import {
  REFERENCE_SERVER_READY,
  type RunningServer,
  cleanEnv as withoutServerVariables,
  startServer,
} from '@wa-contacts/test-kit';
import { type Context, check, Failure } from '../context.js';
import { cleanEnv } from '../environment.js';
import { runOk } from '../processes.js';

const EXPECTED_WA_IDS = ['16315551000', '16315551001', '16315551002', '16315551004', '16315551005'];

export interface ConsumerServer {
  server: RunningServer;
  password: string;
}

/** The published reference server as the consumer installed it (memory database), through its bin. */
export async function startConsumerServer(ctx: Context, dir: string): Promise<ConsumerServer> {
  const started = Date.now();
  const password = `Consumer-${randomBytes(6).toString('hex')}-Aa1!`;
  // None of this process's server variables: CI exports a DATABASE_URL, and that shared database
  // already holds an admin password.
  const server = await startServer({
    name: 'npx wa-contacts-server',
    command: 'npx',
    args: ['--no-install', 'wa-contacts-server', '--port', '0', '--data-dir', 'memory', '--admin-password', password],
    cwd: dir,
    env: withoutServerVariables({ LOG_LEVEL: 'warn' }, cleanEnv(ctx.root)),
    ready: REFERENCE_SERVER_READY,
    timeoutMs: 120_000,
  }).catch((error: Error) => {
    throw new Failure(error.message);
  });
  ctx.timed('reference server start', started);
  ctx.log(`npx wa-contacts-server (memory database) on ${server.url}`);
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
