// Every example of the spec, as Prism serves it: each operation × documented status × named
// example is requested with `Prefer` and must come back exactly. The requests are built from
// the spec's own parameter and request-body examples, so Prism's validation checks those too.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type RunningServer } from '@wa-contacts/test-kit';
import { operations, plain, responseOf } from '@wa-contacts/test-kit/contract';

const require = createRequire(import.meta.url);
const contacts = operations.filter((op) => op.document === 'contacts');
const cases = contacts.flatMap((op) => {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(String(op.parameters.find((p) => p.name === name)!.example)),
  );
  const query = new URLSearchParams(
    op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, String(p.example)]),
  ).toString();
  const requestBody = op.operation.requestBody && plain(op.operation.requestBody);
  const body = requestBody?.content['application/json']?.example;
  const basic = op.operation.security?.some((s) => 'basicAuth' in s) ?? false;
  return Object.keys(op.operation.responses).flatMap((status) => {
    const media = responseOf(op, Number(status))?.content?.['application/json'];
    const named = Object.entries(media?.examples ?? {}).map(([name, ex]) => ({ name, value: plain(ex).value }));
    const examples = media?.example !== undefined ? [{ name: undefined, value: media.example }] : named;
    return examples.map((ex) => ({
      title: `${op.operationId} ${status}${ex.name ? ` ${ex.name}` : ''}`,
      method: op.method,
      url: `${path}${query ? `?${query}` : ''}`,
      body,
      basic,
      prefer: `code=${status}${ex.name ? `, example=${ex.name}` : ''}`,
      status: Number(status),
      expected: ex.value,
    }));
  });
});

describe('the Prism mock of the spec', () => {
  let prism: RunningServer;
  beforeAll(async () => {
    prism = await startPrism({ spec: require.resolve('@wa-contacts/spec/contacts.yaml'), timeoutMs: 45_000 });
  }, 60_000);
  afterAll(() => prism?.stop());

  it('has an example for every documented response of every operation', () => {
    const documented = contacts.flatMap((op) =>
      Object.keys(op.operation.responses).map((s) => `${op.operationId} ${s}`),
    );
    const covered = new Set(cases.map((c) => c.title.split(' ').slice(0, 2).join(' ')));
    expect(documented.length).toBeGreaterThan(0);
    expect(documented.filter((r) => !covered.has(r))).toEqual([]);
  });

  it.each(cases)('answers $title with its example', async (c) => {
    const response = await fetch(`${prism.url}${c.url}`, {
      method: c.method,
      headers: {
        prefer: c.prefer,
        authorization: c.basic ? `Basic ${btoa('admin:secret')}` : 'Bearer example-token',
        ...(c.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
    });
    // Prism flags requests that break the spec in this header; the spec's own examples must not.
    expect(response.headers.get('sl-violations')).toBeNull();
    expect(response.status).toBe(c.status);
    expect(await response.json()).toEqual(c.expected);
  });
});
