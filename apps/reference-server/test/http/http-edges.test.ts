import { operationRoutes, sandboxRoutes } from '@wa-contacts/server';
import { operationById, plain } from '@wa-contacts/test-kit/contract';
import { describe, expect, it } from 'vitest';
import type { AnyOperationId } from '../support/api-client.js';
import { expectError } from '../support/errors.js';
import { TEST_PASSWORD, useServer } from '../support/harness.js';
import { documentedOperations } from '../support/spec-validator.js';

const routes = { ...operationRoutes, ...sandboxRoutes } as Record<
  AnyOperationId,
  { method: string; path: string; statuses: readonly number[] }
>;
const operations = Object.keys(routes) as AnyOperationId[];
const SAMPLE_PARAMS = { wa_id: '16315551000', phone_number: '16315551000', id: '1' };

/** The methods the specs document on a templated path. */
const allowedOn = (path: string) => operations.filter((op) => routes[op].path === path).map((op) => routes[op].method);
const templates = [...new Set(operations.map((op) => routes[op].path))];
const requestBodyOf = (op: AnyOperationId) => {
  const body = operationById(op).operation.requestBody;
  return body && plain(body);
};
const takesBody = (op: AnyOperationId) => requestBodyOf(op) !== undefined;
const requiresBody = (op: AnyOperationId) => requestBodyOf(op)?.required === true;

describe('HTTP edges', () => {
  const h = useServer();

  it.each([
    ['POST', '/'],
    ['GET', '/v1'],
    ['GET', '/v1/nope'],
    ['POST', '/v2/contacts'],
    ['GET', '/v1/contacts/16315551000'],
    ['GET', '/v1/contacts/16315551000/identity/extra'],
    ['POST', '/v1/contacts/16315551000/mute'],
    ['GET', '/sandbox'],
    ['POST', '/sandbox/nope'],
    ['GET', '//v1/contacts/blocklist'],
  ])('answers %s %s with 404/1006', async (method, url) => {
    const res = await h.api.unrouted(method, url);
    expectError(res, 404, 1006);
    expect(res.headers.allow).toBeUndefined();
  });

  it.each(
    templates.flatMap((path) =>
      ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']
        .filter((m) => !allowedOn(path).includes(m))
        .map((m) => [m, path] as const),
    ),
  )('answers %s %s with 405/1006 and an Allow header listing the documented methods', async (method, path) => {
    const url = path.replace(/\{[^}]+\}/g, '16315551000');
    const res = await h.api.unrouted(method, url, { body: {} });
    expectError(res, 405, 1006);
    expect(String(res.headers.allow).split(', ').sort()).toEqual(allowedOn(path).sort());
  });

  it.each(operations)('refuses %s without credentials (401/1005), whatever the body', async (operationId) => {
    const res = await h.api.call(operationId, { params: SAMPLE_PARAMS, token: null, body: { not: 'valid' } });
    expectError(res, 401, 1005);
  });

  it.each(operations.filter(requiresBody))(
    'answers %s without any body or Content-Type with 400/1008',
    async (operationId) => {
      expectError(await h.api.call(operationId, { params: SAMPLE_PARAMS }), 400, 1008);
    },
  );

  it.each(operations.filter(takesBody))(
    'refuses a text/plain body on %s with 400/1009, even when it is JSON',
    async (operationId) => {
      const rawBody = JSON.stringify({
        contacts: ['16315551000'],
        hash: 'UKD6Y/5SqDU=',
        show_security_notifications: true,
        from: '16315551000',
        text: 'hi',
        to: '16315551000',
        advance_ms: 1,
      });
      const auth = operationId === 'login' ? { basic: { username: 'admin', password: TEST_PASSWORD } } : {};
      expectError(
        await h.api.call(operationId, { params: SAMPLE_PARAMS, rawBody, contentType: 'text/plain', ...auth }),
        400,
        1009,
      );
    },
  );

  it('refuses a URL with broken percent-encoding with 400/1009 in the errors envelope', async () => {
    expectError(await h.api.call('blockContact', { rawUrl: '/v1/contacts/%E0%A4%A/block' }), 400, 1009);
    expectError(await h.api.call('getIdentity', { rawUrl: '/v1/contacts/%ZZ/identity' }), 400, 1009);
  });

  it('refuses a phone number longer than the router takes with 400/1009 in the errors envelope', async () => {
    for (const length of [65, 400, 600, 5000]) {
      expectError(await h.api.call('blockContact', { params: { phone_number: '1'.repeat(length) } }), 400, 1009);
    }
  });

  it('answers every error of a burst of bad requests in the envelope, never with a stack trace', async () => {
    const bad: Array<Promise<unknown>> = [
      h.api.call('checkContacts', { rawBody: '{"contacts": [' }),
      h.api.call('checkContacts', { rawBody: 'null' }),
      h.api.call('checkContacts', { rawBody: '['.repeat(5000) }),
      h.api.call('acknowledgeIdentity', { params: SAMPLE_PARAMS, rawBody: '"UKD6Y/5SqDU="' }),
      h.api.call('blockContact', { params: SAMPLE_PARAMS, rawBody: '[]' }),
      h.api.call('updateApplicationSettings', { rawBody: '{"show_security_notifications": tru}' }),
      h.api.call('getBlocklist', { query: { limit: '1e3' } }),
      h.api.call('login', { basic: { username: 'admin', password: 'x' }, rawBody: '{' }),
    ];
    // The API client asserts the spec schema, meta, the envelope and no stack trace on each.
    const results = (await Promise.all(bad)) as Array<{ status: number }>;
    for (const r of results) expect([400, 401]).toContain(r.status);
  });

  it('drives every operation of both specs: the route tables the client uses match the documents', () => {
    // The tables above iterate the generated routes; they must be exactly the specs' operations.
    const fromSpecs = documentedOperations()
      .map((op) => ({
        operationId: op.operationId,
        method: op.method.toUpperCase(),
        path: op.path,
        statuses: [...op.statuses].sort(),
      }))
      .sort((a, b) => a.operationId.localeCompare(b.operationId));
    const fromRoutes = operations
      .map((op) => {
        const route = routes[op] as { method: string; path: string; statuses: readonly number[] };
        return { operationId: op, method: route.method, path: route.path, statuses: [...route.statuses].sort() };
      })
      .sort((a, b) => a.operationId.localeCompare(b.operationId));
    expect(fromRoutes).toEqual(fromSpecs);
  });
});
