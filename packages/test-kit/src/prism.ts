import { createRequire } from 'node:module';
import path from 'node:path';
import { cleanEnv } from './env.js';
import { startServer, type RunningServer } from './server.js';

/** What Prism prints once it listens, with the port it got for -p 0. */
export const PRISM_READY = /Prism is listening on (http:\/\/\S+)/;

function prismCli(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = require(manifest) as { bin: { prism: string } };
  return path.join(path.dirname(manifest), bin.prism);
}

export interface PrismOptions {
  /** The OpenAPI document to mock. */
  spec: string;
  /** Variables over cleanEnv(). */
  env?: Record<string, string>;
  name?: string;
  /** How long it may take to listen (90 s: it compiles the whole document first). */
  timeoutMs?: number;
}

/** `prism mock` of `spec` on 127.0.0.1, on a port of the OS's choosing. */
export function startPrism(options: PrismOptions): Promise<RunningServer> {
  return startServer({
    name: options.name ?? 'Prism mock',
    command: process.execPath,
    // -m false: the multiprocess mode crashes on this Prism.
    args: [prismCli(), 'mock', '-m', 'false', '-h', '127.0.0.1', '-p', '0', options.spec],
    env: cleanEnv(options.env),
    ready: PRISM_READY,
    timeoutMs: options.timeoutMs ?? 90_000,
  });
}
