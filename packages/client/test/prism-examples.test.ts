// Every example of the spec, as Prism serves it: each operation × documented status × named
// example is requested with `Prefer` and must come back exactly. The requests are built from
// the spec's own parameter and request-body examples, so Prism's validation checks those too.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism, type RunningServer } from '@wa-contacts/test-kit';

interface MediaType {
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; example?: unknown }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType>; $ref?: string }>;
}
type PathItem = Record<string, Operation> & { parameters?: Operation['parameters'] };

type Response = { content?: Record<string, MediaType> } & { $ref?: string };
const require = createRequire(import.meta.url);
const spec = require('@wa-contacts/spec/contacts.json') as {
  paths: Record<string, PathItem>;
  components: { responses: Record<string, Response> };
};
// Shared responses (401, 413, 500...) are referenced from components.
const resolve = (r: Response): Response => (r.$ref ? spec.components.responses[r.$ref.split('/').pop()!]! : r);
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

const cases = Object.entries(spec.paths).flatMap(([template, item]) =>
  METHODS.filter((m) => item[m]).flatMap((method) => {
    const op = item[method]!;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(String(params.find((p) => p.name === name)!.example)),
    );
    const query = new URLSearchParams(
      params.filter((p) => p.in === 'query').map((p) => [p.name, String(p.example)]),
    ).toString();
    const body = op.requestBody?.content['application/json']?.example;
    const basic = op.security?.some((s) => 'basicAuth' in s) ?? false;
    return Object.entries(op.responses).flatMap(([status, response]) => {
      const media = resolve(response).content?.['application/json'];
      const named = Object.entries(media?.examples ?? {}).map(([name, ex]) => ({ name, value: ex.value }));
      const examples = media?.example !== undefined ? [{ name: undefined, value: media.example }] : named;
      return examples.map((ex) => ({
        title: `${op.operationId} ${status}${ex.name ? ` ${ex.name}` : ''}`,
        method: method.toUpperCase(),
        url: `${path}${query ? `?${query}` : ''}`,
        body,
        basic,
        prefer: `code=${status}${ex.name ? `, example=${ex.name}` : ''}`,
        status: Number(status),
        expected: ex.value,
      }));
    });
  }),
);

describe('the Prism mock of the spec', () => {
  let prism: RunningServer;
  beforeAll(async () => {
    prism = await startPrism({ spec: require.resolve('@wa-contacts/spec/contacts.yaml'), timeoutMs: 45_000 });
  }, 60_000);
  afterAll(() => prism?.stop());

  it('has an example for every documented response of every operation', () => {
    const documented = Object.values(spec.paths).flatMap((item) =>
      METHODS.filter((m) => item[m]).flatMap((m) =>
        Object.keys(item[m]!.responses).map((s) => `${item[m]!.operationId} ${s}`),
      ),
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
