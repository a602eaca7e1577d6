import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, basicAuth, createApiSession, injectTransport } from '../src/api.js';

/** A factory account on a stand-in server: the first login answers 1024 until a new password is set. */
let password = 'secret';
let changed = false;
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-twice': ['a', 'b'] });
      res.end(JSON.stringify(value));
    };
    if (req.url !== '/base/v1/users/login') return send(200, { echo: body });
    if (req.headers.authorization !== basicAuth('admin', password)) return send(401, { errors: [{ code: 1005 }] });
    if (!changed && body === '') return send(400, { errors: [{ code: 1024 }] });
    if (!changed) [password, changed] = [JSON.parse(body).new_password, true];
    send(200, { users: [{ token: 'tok' }] });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base/`;
});
afterAll(() => server.close());

describe('ApiSession', () => {
  it('logs a factory account in (401 → next password, 1024 → new password), then sends its bearer token', async () => {
    const session = await createApiSession(
      baseUrl,
      { username: 'admin', password: 'wrong' },
      { passwords: ['secret'], newPassword: 'New-Pass-1!' },
    );
    expect([session.token, session.password, password]).toEqual(['tok', 'New-Pass-1!', 'New-Pass-1!']);
    expect(seen.map((r) => [r.url, r.headers.authorization, r.body])).toEqual([
      ['/base/v1/users/login', basicAuth('admin', 'wrong'), ''],
      ['/base/v1/users/login', basicAuth('admin', 'secret'), ''],
      ['/base/v1/users/login', basicAuth('admin', 'secret'), '{"new_password":"New-Pass-1!"}'],
    ]);
    const res = await session.request('POST', '/v1/contacts/', { json: { a: 1 } });
    expect([res.status, res.path, res.json, res.headers['x-twice']]).toEqual([
      200,
      '/v1/contacts/',
      { echo: '{"a":1}' },
      'a, b',
    ]);
    expect(seen.at(-1)).toMatchObject({
      url: '/base/v1/contacts/',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    });
  });

  it('sends raw bodies and explicit headers over the defaults, and no authorization when told', async () => {
    const session = new ApiSession(baseUrl, { username: 'admin', password }, { Accept: 'application/json' });
    session.token = 'tok';
    const res = await session.request('PATCH', '/x', {
      body: '{"broken',
      headers: { 'Content-Type': 'text/plain', ACCEPT: '*/*' },
      authorization: null,
    });
    expect([res.status, res.json, res.text]).toEqual([200, { echo: '{"broken' }, '{"echo":"{\\"broken"}']);
    const { headers } = seen.at(-1)!;
    expect([headers.authorization, headers['content-type'], headers.accept]).toEqual([undefined, 'text/plain', '*/*']);
  });

  it('talks to an in-process app through inject(), with flat lower-case headers', async () => {
    const requests: unknown[] = [];
    const app = {
      inject: async (request: unknown) => {
        requests.push(request);
        return { statusCode: 404, headers: { 'Content-Length': 2, 'set-cookie': ['a', 'b'] }, body: 'no' };
      },
    };
    const session = new ApiSession(injectTransport(app));
    const res = await session.request('GET', '/nowhere/');
    expect(res).toEqual({
      method: 'GET',
      path: '/nowhere/',
      status: 404,
      headers: { 'content-length': '2', 'set-cookie': 'a, b' },
      text: 'no',
      json: undefined,
    });
    expect(requests).toEqual([{ method: 'GET', url: '/nowhere/', headers: {} }]);
  });
});
