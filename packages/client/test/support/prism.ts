// Runs Stoplight Prism's mock of the bundled spec as a real child process on 127.0.0.1.
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort, spawnServer, waitUntilAnswering } from './child-process.js';

const require = createRequire(import.meta.url);

export const specPath = require.resolve('@wa-contacts/spec/contacts.yaml');

function prismBin(): string {
  const manifestPath = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = require(manifestPath) as { bin: { prism: string } };
  return path.join(path.dirname(manifestPath), bin.prism);
}

export interface PrismMock {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startPrism(timeoutMs = 45_000): Promise<PrismMock> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // -m false: the multiprocess mode crashes on this Prism.
  const prism = spawnServer('prism', [prismBin(), 'mock', '-m', 'false', '-h', '127.0.0.1', '-p', String(port), specPath], process.env);
  try {
    await waitUntilAnswering('prism', prism, `${baseUrl}/v1/settings/application`, timeoutMs);
  } catch (error) {
    await prism.stop();
    throw error;
  }
  return { baseUrl, stop: () => prism.stop() };
}
