import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { operationRoutes } from '../src/index.js';

const spec = createRequire(import.meta.url)('@wa-contacts/spec/contacts.json') as {
  paths: Record<
    string,
    Record<string, { operationId: string; responses: Record<string, unknown>; security?: object[] }>
  >;
};

describe('operationRoutes', () => {
  const fromSpec = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'put', 'post', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        statuses: Object.keys(op.responses).map(Number),
      })),
  );

  it('lists every operation of the spec, and nothing else', () => {
    expect(Object.keys(operationRoutes).sort()).toEqual(fromSpec.map((o) => o.id).sort());
    expect(fromSpec).toHaveLength(13);
  });

  it('mounts each operation at its method and path with its documented statuses', () => {
    for (const o of fromSpec) {
      const route = operationRoutes[o.id as keyof typeof operationRoutes];
      expect(route.method).toBe(o.method);
      expect(route.path).toBe(o.path);
      expect([...route.statuses]).toEqual([...o.statuses].sort((a, b) => a - b));
    }
  });

  it('authenticates login with Basic and everything else with the bearer token', () => {
    expect(operationRoutes.login.security).toEqual(['basicAuth']);
    const others = Object.entries(operationRoutes).filter(([id]) => id !== 'login');
    expect(others.every(([, r]) => r.security.length === 1 && r.security[0] === 'bearerAuth')).toBe(true);
  });
});
