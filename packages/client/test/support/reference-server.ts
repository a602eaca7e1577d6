// Runs the project's reference server (apps/reference-server, a workspace devDependency) as
// a real child process on 127.0.0.1, on an in-memory database, with the sandbox on.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort, spawnServer, waitUntilAnswering } from './child-process.js';

const PACKAGE = '@wa-contacts/reference-server';

/**
 * The package's folder, found the way Node looks a package up (its exports map has no
 * ./package.json, and resolving "." would need dist/ built already).
 */
export function referenceServerDir(): string {
  const lookup = createRequire(import.meta.url).resolve.paths(PACKAGE) ?? [];
  for (const nodeModules of lookup) {
    const manifest = path.join(nodeModules, PACKAGE, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE) {
      return path.dirname(manifest);
    }
  }
  throw new Error(`${PACKAGE} is not installed next to the client: run pnpm install`);
}

export interface ReferenceServer {
  baseUrl: string;
  /** What the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Variables the server reads; the tests' own environment must not leak in (a DATABASE_URL
 * would put it on PostgreSQL, WA_SANDBOX=off would remove the sandbox).
 */
const SERVER_VARIABLES = /^(WA_.*|DATABASE_URL|HOST|PORT|LOG_LEVEL)$/;

export async function startReferenceServer(env: Record<string, string> = {}, timeoutMs = 45_000): Promise<ReferenceServer> {
  const main = path.join(referenceServerDir(), 'dist', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} does not exist: build the server first (turbo run build --filter=${PACKAGE}, which turbo's ^build does for this package's test task)`);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !SERVER_VARIABLES.test(name)));
  const server = spawnServer('the reference server', [main], {
    ...inherited,
    HOST: '127.0.0.1',
    PORT: String(port),
    WA_DATA_DIR: 'memory',
    WA_SANDBOX: 'on',
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    await waitUntilAnswering('the reference server', server, `${baseUrl}/v1/settings/application`, timeoutMs);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { baseUrl, output: server.output, stop: () => server.stop() };
}
