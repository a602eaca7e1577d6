import {
  bundled,
  callbacks,
  checkCallback,
  checkResponse,
  checkUnrouted,
  createAjv,
  dereferenced,
  findOperation,
  operationById,
  operations,
  requestSchema,
} from '../src/contract/index.js';
import { describe, expect, it } from 'vitest';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const meta = { api_status: 'stable', version: 'v2.53.1' };
const unauthorized = { meta, errors: [{ code: 1005, title: 'Access denied', details: 'Invalid credentials.' }] };
const text = (value: unknown) => JSON.stringify(value);

describe('checkResponse', () => {
  it('finds nothing wrong with a conforming answer', () => {
    expect(checkResponse('logout', 401, JSON_TYPE, text(unauthorized))).toEqual([]);
    expect(checkResponse('logout', 200, JSON_TYPE, text({ meta }))).toEqual([]);
  });

  it('names a status the operation does not document', () => {
    expect(checkResponse('getApplicationSettings', 404, JSON_TYPE, text(unauthorized))).toEqual([
      'status 404 is not documented for getApplicationSettings (documented: 200, 401, 429, 500)',
    ]);
  });

  it('names a body that does not match the status schema, with the path of each mismatch', () => {
    expect(checkResponse('logout', 200, JSON_TYPE, text({ meta: { ...meta, version: '2.53' }, extra: 1 }))).toEqual([
      'the body does not match the 200 schema of logout: (root) must NOT have additional properties; /meta/version must match pattern "^v\\d+\\.\\d+\\.\\d+$"',
    ]);
  });

  it('names a missing errors envelope on a failure, and errors on a success', () => {
    expect(checkResponse('logout', 401, JSON_TYPE, text({ meta }))).toEqual([
      "the body does not match the 401 schema of logout: (root) must have required property 'errors'",
      'a 401 without a non-empty errors array',
    ]);
    expect(checkResponse('logout', 200, JSON_TYPE, text({ meta, errors: [] }))).toEqual([
      'the body does not match the 200 schema of logout: (root) must NOT have additional properties',
      'a 200 that carries errors',
    ]);
  });

  it('names a wrong Content-Type and a body that is not JSON', () => {
    expect(checkResponse('logout', 500, { 'content-type': 'text/html' }, 'Internal Server Error')).toEqual([
      'Content-Type text/html, not application/json',
      'the 500 body is not JSON: Internal Server Error',
    ]);
  });

  it('names a stack trace in the body, unless the request sent that text itself', () => {
    const details = 'TypeError: x is undefined\n    at handler (/srv/app/dist/http/mount.js:12:34)';
    const body = text({ meta, errors: [{ code: 1005, title: 'Access denied', details }] });
    expect(checkResponse('logout', 401, JSON_TYPE, body)).toEqual([
      'a stack trace in the body: at handler (/srv/app/dist/http/mount.js:12:34)',
    ]);
    expect(checkResponse('logout', 401, JSON_TYPE, body, { echoed: [details] })).toEqual([]);
    expect(checkResponse('logout', 200, JSON_TYPE, text({ meta, stack: 'x' }))).toEqual([
      'the body does not match the 200 schema of logout: (root) must NOT have additional properties',
      'a stack trace in the body: "stack"',
    ]);
  });

  it("names Fastify's own error shape", () => {
    expect(checkUnrouted(404, JSON_TYPE, text({ statusCode: 404, error: 'Not Found', message: 'no route' }))).toEqual([
      "the body is not the spec's ErrorResponse: (root) must have required property 'meta'; (root) must have required property 'errors'; (root) must NOT have additional properties; (root) must NOT have additional properties; (root) must NOT have additional properties",
      'a 404 without a valid meta: (root) must be object',
      'a 404 without a non-empty errors array',
      "Fastify's default error shape in the body",
    ]);
  });

  it('throws on an operationId neither document has, or not in the document named', () => {
    expect(() => checkResponse('nope', 200, JSON_TYPE, '{}')).toThrow('no operation nope in either document');
    expect(() => checkResponse('logout', 200, JSON_TYPE, '{}', { document: 'sandbox' })).toThrow(
      'no operation logout in sandbox',
    );
  });
});

describe('the documents and operations', () => {
  it('reads every operation of both documents, dereferenced', () => {
    // Counted from the bundled documents as written: every method of every path.
    const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
    const written = Object.values(bundled).flatMap((document) =>
      Object.values(document.paths).flatMap((item) =>
        METHODS.flatMap((method) => {
          const operation = (item as Record<string, { operationId?: string } | undefined>)[method];
          return operation?.operationId ? [operation.operationId] : [];
        }),
      ),
    );
    expect(written.length).toBeGreaterThan(20);
    expect(operations.map((op) => op.operationId).sort()).toEqual(written.sort());
    expect(JSON.stringify(dereferenced.contacts)).not.toContain('"$ref"');
    expect(operationById('registerAccount').parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:wa_id']);
  });

  it('finds an operation by method and templated or concrete path, a literal segment first', () => {
    expect(findOperation('GET', '/v1/contacts/blocklist?limit=1')?.operationId).toBe('getBlocklist');
    expect(findOperation('put', '/v1/contacts/16315550001/identity')?.operationId).toBe('acknowledgeIdentity');
    expect(findOperation('GET', '/v1/contacts/{wa_id}/identity')?.operationId).toBe('getIdentity');
    expect(findOperation('GET', '/v1/nothing')).toBeUndefined();
  });

  it("gives an operation's request schema", () => {
    expect(requestSchema(operationById('checkContacts'))?.required).toEqual(['contacts']);
    expect(requestSchema(operationById('logout'))).toBeUndefined();
  });

  it('validates int64 as a safe integer', () => {
    const validate = createAjv().compile({ type: 'integer', format: 'int64' });
    expect([validate(2 ** 53 - 1), validate(2 ** 53)]).toEqual([true, false]);
  });
});

describe('checkCallback', () => {
  const spec = callbacks as {
    webhooks: {
      callback: {
        post: { requestBody: { content: { 'application/json': { examples: Record<string, { value: unknown }> } } } };
      };
    };
  };
  const examples = spec.webhooks.callback.post.requestBody.content['application/json'].examples;
  const identityChanged = structuredClone(examples.identityChanged!.value) as {
    messages: [{ timestamp: unknown; system: Record<string, unknown> }];
  };

  it('finds nothing wrong with each example of the spec', () => {
    expect(Object.keys(examples).length).toBeGreaterThan(3);
    for (const [name, { value }] of Object.entries(examples)) expect(checkCallback(text(value)), name).toEqual([]);
  });

  it('names a field of the wrong type, a missing field, and a body that is not JSON', () => {
    const wrongType = structuredClone(identityChanged);
    wrongType.messages[0].timestamp = 1764946860;
    expect(checkCallback(wrongType).join()).toContain('/messages/0/timestamp must be string');
    const missing = structuredClone(identityChanged);
    delete missing.messages[0].system.user;
    expect(checkCallback(missing).join()).toContain("must have required property 'user'");
    expect(checkCallback('{"messages": [')).toEqual(['the callback is not JSON: {"messages": [']);
  });
});
