import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { cleanEnv } from './env.js';
import { startServer, type RunningServer } from './server.js';

const PACKAGE = '@wa-contacts/reference-server';

/**
 * The node flags `npm start` gives this build of the reference server (its `NODE_FLAGS`, read
 * through its own exports map from main.js): PGlite's WebAssembly shares the process's memory,
 * and they keep its RSS down (docs/performance.md).
 */
export async function referenceServerNodeFlags(main: string): Promise<readonly string[]> {
  // Resolved from main.js itself (a package may name itself): no dependency on the server, no cycle.
  const url = pathToFileURL(createRequire(main).resolve(`${PACKAGE}/node-flags`)).href;
  const { NODE_FLAGS } = (await import(url)) as { NODE_FLAGS?: unknown };
  if (!Array.isArray(NODE_FLAGS)) throw new Error(`${PACKAGE}/node-flags exports no NODE_FLAGS array`);
  return NODE_FLAGS as readonly string[];
}

/** The banner the server prints on stdout once it listens, at every log level. */
export const REFERENCE_SERVER_READY = /reference server on (http:\/\/\S+)/;

/** Its log line (at LOG_LEVEL=info) once its check index has loaded, in the background after listening; the first group is the load's milliseconds (pino writes the fields before the message). */
export const REFERENCE_SERVER_INDEX_LOADED = /"ms":(\d+)[^\n]*"msg":"contact check index loaded"/;

/**
 * dist/main.js of the reference server as `from` (a file or folder of a package that depends on
 * it, or of the server itself) sees it: `@wa-contacts/reference-server/main` through its exports map.
 */
export function referenceServerMain(from: string | URL): string {
  try {
    return createRequire(from).resolve(`${PACKAGE}/main`);
  } catch (error) {
    const missing = /Cannot find module '([^']+main\.js)'/.exec((error as Error).message);
    // Resolved to a file that is not built yet: say how to build it.
    if (missing) return built(missing[1]!);
    throw new Error(
      `${PACKAGE} is not installed where ${String(from)} can see it: add it as a devDependency ("workspace:*") and run pnpm install`,
    );
  }
}

function built(main: string): string {
  if (!existsSync(main)) {
    throw new Error(
      `${main} does not exist: build the server first (pnpm turbo run build --filter=${PACKAGE}; turbo's ^build does it before the tests of a package that depends on it)`,
    );
  }
  return main;
}

export type ReferenceServerOptions = (
  | { /** The server's main.js: another build, a copy of the workspace. */ main: string; from?: undefined }
  | { /** Where to look the package up from: the caller's import.meta.url. */ from: string | URL; main?: undefined }
) & {
  /** The server's variables, over HOST=127.0.0.1, PORT=0, LOG_LEVEL=warn, WA_RATE_LIMIT=off and, without DATABASE_URL or WA_DATA_DIR, WA_DATA_DIR=memory. */
  env?: Record<string, string>;
  /** The environment the rest comes from (process.env); its server variables are dropped all the same. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Flags for node before main.js (--cpu-prof, say), after the server's own (referenceServerNodeFlags). */
  nodeArgs?: readonly string[];
  cwd?: string;
  /** For messages ("the reference server"). */
  name?: string;
  /** How long it may take to listen (60 s: PGlite's start-up takes seconds on a busy machine). */
  timeoutMs?: number;
};

/**
 * The reference server as `npm start` runs it (its node flags included), on a port of the OS's
 * choosing (PORT=0, read back from its banner), with none of the test process's own server
 * variables: only `env`.
 */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<RunningServer> {
  if (options.main === undefined && options.from === undefined)
    throw new Error('startReferenceServer needs `main` or `from`');
  const main = options.main !== undefined ? built(options.main) : referenceServerMain(options.from!);
  const env = options.env ?? {};
  const storage = env.DATABASE_URL || env.WA_DATA_DIR ? {} : { WA_DATA_DIR: 'memory' };
  return startServer({
    name: options.name ?? 'the reference server',
    command: process.execPath,
    args: [...(await referenceServerNodeFlags(main)), ...(options.nodeArgs ?? []), main],
    cwd: options.cwd,
    // Tests and the bench send bursts on purpose; a test of the limits sets WA_RATE_LIMIT itself.
    env: cleanEnv(
      { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', WA_RATE_LIMIT: 'off', ...storage, ...env },
      options.baseEnv,
    ),
    ready: REFERENCE_SERVER_READY,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}
