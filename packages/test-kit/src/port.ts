import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port nobody listens on at this instant; another process may take it a moment later. */
async function portFreeNow(host: string): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error(`no TCP port on ${host}`);
  return address.port;
}

/**
 * The fallback for a server that cannot be told port 0 and report the port it got (Verdaccio 6
 * prints its configured address before it listens): `start` with a port free right now, and
 * again with another one when it fails on EADDRINUSE. Between the pick and the server's listen
 * another process can take the port; the server then exits on EADDRINUSE, and this turns that
 * race into a retry instead of a failed run. Prefer port 0 and waitForOutput where possible.
 */
export async function retryOnAddressInUse<T>(
  start: (port: number) => Promise<T>,
  { attempts = 5, host = '127.0.0.1' } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await portFreeNow(host);
    try {
      return await start(port);
    } catch (error) {
      if (attempt >= attempts || !/EADDRINUSE/.test(error instanceof Error ? error.message : String(error)))
        throw error;
    }
  }
}
