import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../../src/http/docs.js';
import { expectError } from '../support/errors.js';
import { useServer } from '../support/harness.js';

const require = createRequire(import.meta.url);
const specFile = (name: string) => readFileSync(require.resolve(`@wa-contacts/spec/${name}`), 'utf8');

/** `/`, `/docs` and the served documents: outside the spec's API, without credentials. */
describe('the reference pages and the served documents', () => {
  const h = useServer();
  const get = (url: string, method: 'GET' | 'HEAD' = 'GET') => h.server.app.inject({ method, url });

  it('redirects / to /docs', async () => {
    const res = await get('/');
    expect({ status: res.statusCode, location: res.headers.location }).toEqual({ status: 302, location: '/docs' });
  });

  it.each([
    ['/docs', 'reference.html'],
    ['/docs/', 'reference.html'],
    ['/docs/sandbox', 'sandbox-reference.html'],
  ])('serves %s as the spec package’s %s, under a policy that allows no outside request', async (url, file) => {
    const res = await get(url);
    expect({
      status: res.statusCode,
      type: res.headers['content-type'],
      csp: res.headers['content-security-policy'],
      same: res.body === specFile(file),
    }).toEqual({ status: 200, type: 'text/html; charset=utf-8', csp: DOCS_CSP, same: true });
  });

  it.each([
    ['/openapi.json', 'contacts.json', 'application/json; charset=utf-8'],
    ['/openapi.yaml', 'contacts.yaml', 'application/yaml; charset=utf-8'],
    ['/openapi/sandbox.json', 'sandbox.json', 'application/json; charset=utf-8'],
    ['/openapi/sandbox.yaml', 'sandbox.yaml', 'application/yaml; charset=utf-8'],
    ['/openapi/webhooks.json', 'webhooks.json', 'application/json; charset=utf-8'],
    ['/openapi/webhooks.yaml', 'webhooks.yaml', 'application/yaml; charset=utf-8'],
  ])('serves %s as the bundled %s', async (url, file, type) => {
    const res = await get(url);
    expect({ status: res.statusCode, type: res.headers['content-type'], same: res.body === specFile(file) }).toEqual({
      status: 200,
      type,
      same: true,
    });
  });

  it('answers HEAD /openapi.json with its headers and no body', async () => {
    const res = await get('/openapi.json', 'HEAD');
    expect({ status: res.statusCode, type: res.headers['content-type'], body: res.body }).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: '',
    });
  });

  it.each([
    ['POST', '/'],
    ['GET', '/docs/nope'],
    ['GET', '/openapi.yml'],
    ['GET', '/openapi/contacts.json'],
    ['DELETE', '/openapi.json'],
  ])('answers %s %s with 404/1006', async (method, url) => {
    expectError(await h.api.unrouted(method, url), 404, 1006);
  });
});

describe('the served documents without the sandbox', () => {
  const h = useServer({ env: { WA_SANDBOX: 'off' } });

  it.each(['/docs/sandbox', '/openapi/sandbox.json', '/openapi/sandbox.yaml'])(
    'answers GET %s with 404/1006',
    async (url) => {
      expectError(await h.api.unrouted('GET', url), 404, 1006);
    },
  );

  it('still serves /docs and /openapi.json', async () => {
    const statuses = await Promise.all(
      ['/docs', '/openapi.json'].map(async (url) => (await h.server.app.inject({ url })).statusCode),
    );
    expect(statuses).toEqual([200, 200]);
  });
});
