import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One upstream answer as the proxy saw it, before it is passed on. */
export interface ProxiedResponse {
  method: string;
  /** Path and query of the request. */
  url: string;
  status: number;
  contentType: string;
  body: string;
}

/** Returns the status and/or body to send instead, or undefined to pass the answer on as is. */
export type Breakage = (response: ProxiedResponse) => { status?: number; body?: string } | undefined;

export interface BreakingProxy {
  url: string;
  /** How many answers the breakage changed. */
  readonly broken: number;
  setBreakage(breakage: Breakage | undefined): void;
  close(): Promise<void>;
}

/**
 * A node:http proxy in front of `upstream` that breaks answers in one chosen way: the gate's
 * stand-in for a server that drifted from the spec. Request bodies are read whole before they
 * are forwarded (the contract sends bodies over 1 MiB that the upstream refuses early).
 */
export async function startBreakingProxy(upstream: string): Promise<BreakingProxy> {
  const target = new URL(upstream);
  let breakage: Breakage | undefined;
  let broken = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      let answered = false;
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (chunk: Buffer) => parts.push(chunk));
          up.on('end', () => {
            answered = true;
            const original: ProxiedResponse = {
              method: req.method ?? 'GET',
              url: req.url ?? '/',
              status: up.statusCode ?? 502,
              contentType: String(up.headers['content-type'] ?? ''),
              body: Buffer.concat(parts).toString('utf8'),
            };
            const change = breakage?.(original);
            if (change) broken++;
            const out = Buffer.from(change?.body ?? original.body, 'utf8');
            const outHeaders: http.OutgoingHttpHeaders = { ...up.headers, 'content-length': String(out.length) };
            // Hop-by-hop: the server's keep-alive (72 s) is not this proxy's (Node's 5 s); a client told
            // 72 s may reuse a connection the proxy has closed (UND_ERR_SOCKET, seen once in a 429 burst).
            delete outHeaders['transfer-encoding'];
            delete outHeaders.connection;
            delete outHeaders['keep-alive'];
            res.writeHead(change?.status ?? original.status, outHeaders);
            res.end(out);
          });
        },
      );
      // An upstream that answers 413 may close before it read the whole body: the answer
      // already arrived, the write error does not matter.
      forward.on('error', (error) => {
        if (answered || res.headersSent) return;
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${error.message}`);
      });
      forward.end(body);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get broken() {
      return broken;
    },
    setBreakage(next) {
      breakage = next;
      broken = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
