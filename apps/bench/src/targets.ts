import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callOk } from './http.js';
import { freePort, startProcess, type ServerProcess } from './processes.js';

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

/** Resolved through the workspace, so the harness runs the same files as `pnpm start`. */
export const paths = {
  // BENCH_SERVER_MAIN: another build of the server (a before/after comparison, say).
  serverMain: process.env.BENCH_SERVER_MAIN || join(dirname(require.resolve('@wa-contacts/reference-server')), 'main.js'),
  contactsYaml: require.resolve('@wa-contacts/spec/contacts.yaml'),
  prismCli: join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js'),
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
}

/** The reference server as `npm start` runs it, on a free loopback port, then one login. */
export async function startReference(options: ReferenceOptions): Promise<Target> {
  const port = await freePort();
  const storage: Record<string, string> = options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : { WA_DATA_DIR: options.dataDir ?? 'memory' };
  const label = options.id === 'pglite' ? 'reference (PGlite)' : 'reference (PostgreSQL)';
  const server = await startProcess({
    name: label,
    command: process.execPath,
    args: [
      // BENCH_SERVER_NODE_ARGS: extra node flags for the reference servers (memory experiments, say).
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : []),
      paths.serverMain,
    ],
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      WA_ADMIN_USERNAME: ADMIN.username,
      WA_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ...storage,
    },
    port,
    startTimeoutMs: 60_000,
  });
  try {
    const basic = Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64');
    const login = await callOk<{ users: Array<{ token: string }> }>(server.url, 'POST', '/v1/users/login', {
      headers: { authorization: `Basic ${basic}` },
    });
    return { id: options.id, kind: 'reference', label, server, auth: { authorization: `Bearer ${login.users[0]!.token}` } };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** `prism mock -m false` of the bundled contacts spec: static examples, requests validated. */
export async function startPrism(): Promise<Target> {
  const port = await freePort();
  const server = await startProcess({
    name: 'Prism mock',
    command: process.execPath,
    args: [paths.prismCli, 'mock', '-m', 'false', '-h', '127.0.0.1', '-p', String(port), paths.contactsYaml],
    env: {},
    port,
    startTimeoutMs: 90_000,
  });
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
  const port = await freePort();
  const server = await startProcess({
    name: 'node:http baseline',
    command: process.execPath,
    args: [paths.baseline],
    env: { HOST: '127.0.0.1', PORT: String(port), BASELINE_ROUTES: routesFile },
    port,
    startTimeoutMs: 30_000,
  });
  return { id: 'baseline', kind: 'baseline', label: 'node:http baseline', server, auth: { authorization: 'Bearer bench' } };
}
