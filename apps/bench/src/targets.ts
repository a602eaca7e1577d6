import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  cleanEnv,
  createApiSession,
  REFERENCE_SERVER_INDEX_LOADED,
  startPrism as startPrismMock,
  startReferenceServer,
  startServer,
  waitForOutput,
} from '@wa-contacts/test-kit';
import { withRss, type ServerProcess } from './processes.js';

const require = createRequire(import.meta.url);

export type TargetKind = 'reference' | 'prism' | 'baseline';
export type TargetId = 'pglite' | 'postgres' | 'prism' | 'baseline';

export interface Target {
  id: TargetId;
  kind: TargetKind;
  label: string;
  server: ServerProcess;
  /** Sent with every request: the bearer token of one login, made before any timing. */
  auth: Record<string, string>;
}

export const ADMIN = { username: 'admin', password: 'Bench-Pass-1!' } as const;

/** The spec Prism mocks (the workspace's, as `pnpm mock` serves it) and the baseline's script. */
const paths = {
  contactsYaml: require.resolve('@wa-contacts/spec/contacts.yaml'),
  baseline: fileURLToPath(new URL('../bin/baseline-server.mjs', import.meta.url)),
};

export interface ReferenceOptions {
  id: 'pglite' | 'postgres';
  /** DATABASE_URL for postgres. */
  databaseUrl?: string;
  /** PGlite's WA_DATA_DIR: 'memory' (default) or a folder. */
  dataDir?: string;
  /** `node --cpu-prof` into this folder (written when the server stops). */
  cpuProfDir?: string;
  /** Resolve only once its check index is loaded (it loads in the background, after listening). */
  indexLoaded?: boolean;
}

/**
 * The reference server as `npm start` runs it, on a loopback port of the OS's choosing, then
 * one login. test-kit passes on none of the harness's own server variables (CI's DATABASE_URL).
 */
export async function startReference(options: ReferenceOptions): Promise<Target> {
  const storage: Record<string, string> = options.databaseUrl
    ? { DATABASE_URL: options.databaseUrl }
    : { WA_DATA_DIR: options.dataDir ?? 'memory' };
  const label = options.id === 'pglite' ? 'reference (PGlite)' : 'reference (PostgreSQL)';
  const server = withRss(
    await startReferenceServer({
      name: label,
      // BENCH_SERVER_MAIN: another build of the server (a before/after comparison, say).
      ...(process.env.BENCH_SERVER_MAIN ? { main: process.env.BENCH_SERVER_MAIN } : { from: import.meta.url }),
      nodeArgs: [
        // BENCH_SERVER_NODE_ARGS: extra node flags for the reference servers (memory experiments, say).
        ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
        ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []),
      ],
      // The bench loads the server on purpose: no 429 from the node's rate limits.
      env: {
        WA_ADMIN_USERNAME: ADMIN.username,
        WA_ADMIN_PASSWORD: ADMIN.password,
        WA_RATE_LIMIT: 'off',
        ...serverEnv(process.env.BENCH_SERVER_ENV),
        ...storage,
        ...(options.indexLoaded ? { LOG_LEVEL: 'info' } : {}),
      },
      timeoutMs: 60_000,
    }),
  );
  try {
    // 6–8 s at 1,000,000 cached numbers on a quiet machine.
    if (options.indexLoaded) await waitForOutput(server, REFERENCE_SERVER_INDEX_LOADED, 180_000);
    const session = await createApiSession(server.url, ADMIN);
    return {
      id: options.id,
      kind: 'reference',
      label,
      server,
      auth: { authorization: `Bearer ${session.token}` },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** `prism mock -m false` of the bundled contacts spec: static examples, requests validated. */
export async function startPrism(): Promise<Target> {
  const server = withRss(await startPrismMock({ spec: paths.contactsYaml, timeoutMs: 90_000 }));
  // Prism only checks that a bearer token is present.
  return { id: 'prism', kind: 'prism', label: 'Prism mock', server, auth: { authorization: 'Bearer bench' } };
}

export interface BaselineRoute {
  method: string;
  /** A RegExp source matched against the path (without the query). */
  pattern: string;
  status: number;
  body: string;
}

/** The bare node:http server, answering constants (see bin/baseline-server.mjs). */
export async function startBaseline(routes: BaselineRoute[], routesFile: string): Promise<Target> {
  writeFileSync(routesFile, JSON.stringify(routes));
  const server = withRss(
    await startServer({
      name: 'node:http baseline',
      command: process.execPath,
      args: [paths.baseline],
      env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', BASELINE_ROUTES: routesFile }),
      ready: /baseline listening on (http:\/\/\S+)/,
      timeoutMs: 30_000,
    }),
  );
  return {
    id: 'baseline',
    kind: 'baseline',
    label: 'node:http baseline',
    server,
    auth: { authorization: 'Bearer bench' },
  };
}

/** BENCH_SERVER_ENV: `NAME=value` pairs, space-separated, for the reference servers (a cap below the data, say). */
export function serverEnv(text: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text?.split(' ').filter(Boolean) ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`BENCH_SERVER_ENV: not NAME=value: "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}
