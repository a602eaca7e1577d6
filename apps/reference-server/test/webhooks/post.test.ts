import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postCallback } from '../../src/domain/webhooks/post.js';

/** A server on 127.0.0.1 whose answer depends on the path; it counts requests and connections. */
describe('postCallback', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ path: string; body: string; type: string | undefined }> = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url!, body: Buffer.concat(chunks).toString('utf8'), type: req.headers['content-type'] });
        if (req.url === '/ok') res.writeHead(204).end();
        else if (req.url === '/big') res.writeHead(200).end('x'.repeat(100_000));
        else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
        else if (req.url === '/error') res.writeHead(500).end('no');
        else if (req.url === '/reset') req.socket.resetAndDestroy();
        else if (req.url === '/trickle') {
          res.writeHead(200).write('x');
          hanging.add(req.socket);
        } else hanging.add(req.socket);
      });
    });
    server.on('connection', (s: Socket) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of hanging) s.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the JSON body, reports the status, and reuses one connection for POSTs one after another', async () => {
    seen.length = 0;
    sockets.clear();
    const outcomes = [];
    for (const path of ['/ok', '/big', '/error', '/ok'])
      outcomes.push(await postCallback(`${base}${path}`, '{"n":1}', 2_000));
    expect(outcomes.map((o) => o.httpStatus)).toEqual([204, 200, 500, 204]);
    expect(seen).toEqual(
      ['/ok', '/big', '/error', '/ok'].map((path) => ({ path, body: '{"n":1}', type: 'application/json' })),
    );
    expect(sockets.size).toBe(1);
  });

  it('does not follow a redirect', async () => {
    seen.length = 0;
    expect(await postCallback(`${base}/redirect`, '{}', 2_000)).toEqual({ httpStatus: 302, error: undefined });
    expect(seen.map((s) => s.path)).toEqual(['/redirect']);
  });

  it('reports a reset, a refused connection and a timeout by what happened', async () => {
    expect(await postCallback(`${base}/reset`, '{}', 2_000)).toEqual({ httpStatus: undefined, error: 'ECONNRESET' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await postCallback(`http://127.0.0.1:${port}/`, '{}', 2_000)).toEqual({
      httpStatus: undefined,
      error: 'ECONNREFUSED',
    });
    expect(await postCallback(`${base}/hang`, '{}', 300)).toEqual({
      httpStatus: undefined,
      error: 'timeout: no answer within 300 ms',
    });
  });

  it('ends a POST whose body never ends at timeoutMs, with the status it got (it must end within its lease)', async () => {
    expect(await postCallback(`${base}/trickle`, '{}', 300)).toEqual({ httpStatus: 200, error: undefined });
  });
});
