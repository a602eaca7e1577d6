// Runs Stoplight Prism's mock of the bundled spec as a real child process on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const specPath = require.resolve('@wa-contacts/spec/contacts.yaml');

function prismBin(): string {
  const manifestPath = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = require(manifestPath) as { bin: { prism: string } };
  return path.join(path.dirname(manifestPath), bin.prism);
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

export interface PrismMock {
  baseUrl: string;
  stop(): Promise<void>;
}

async function waitUntilAnswering(baseUrl: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited with ${child.exitCode}:\n${output()}`);
    try {
      // Any HTTP answer (a 401 here) means it is serving.
      await fetch(`${baseUrl}/v1/settings/application`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`prism did not answer within ${timeoutMs} ms:\n${output()}`);
}

export async function startPrism(timeoutMs = 45_000): Promise<PrismMock> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // -m false: the multiprocess mode crashes on this Prism; detached: its own process group, killed as one.
  const child = spawn(process.execPath, [prismBin(), 'mock', '-m', 'false', '-h', '127.0.0.1', '-p', String(port), specPath], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = once(child, 'exit');
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await exited;
  }

  try {
    await waitUntilAnswering(baseUrl, child, () => log, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}
