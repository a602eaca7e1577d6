// The bodySchema the Dredd hooks hand to Gavel: OpenAPI 3.0 → JSON Schema, and Gavel (Dredd's
// validator) really validating bodies with it.
import { operationRoutes } from '@wa-contacts/server';
import { operations, responseOf } from '@wa-contacts/test-kit/contract';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../dredd/contract.cjs';
import { toJsonSchema } from '../dredd/schemas.cjs';
import { bodySchema } from '../dredd/validate.cjs';

const require = createRequire(import.meta.url);
// Gavel as Dredd 14 loads it (a dependency of dredd, not of this package).
const gavel = createRequire(require.resolve('dredd'))('gavel') as {
  validate(
    expected: object,
    actual: object,
  ): { valid: boolean; fields: Record<string, { errors: { message: string }[] }> };
};

beforeAll(loadContract);

function gavelCheck(schema: object, body: unknown, status = 200) {
  return gavel.validate(
    { statusCode: String(status), headers: { 'Content-Type': 'application/json' }, bodySchema: schema },
    { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
}

describe('OpenAPI 3.0 schema → JSON Schema', () => {
  it('turns nullable into a null type (and a null enum member)', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a', 'b'] })).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', null],
    });
    expect(toJsonSchema({ type: 'integer', nullable: false })).toEqual({ type: 'integer' });
  });

  it('wraps a nullable schema without a type (oneOf) in anyOf null', () => {
    const schema = { nullable: true, oneOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(toJsonSchema(schema)).toEqual({
      anyOf: [{ type: 'null' }, { oneOf: [{ type: 'string' }, { type: 'integer' }] }],
    });
  });

  it('drops OpenAPI-only keywords and formats Ajv 6 does not know', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'integer', format: 'int64', example: 3 },
        at: { type: 'string', format: 'date-time', deprecated: true },
        example: { type: 'string' },
      },
      example: { id: 1 },
    };
    expect(toJsonSchema(schema)).toEqual({
      type: 'object',
      properties: { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, example: { type: 'string' } },
    });
  });

  it('turns boolean exclusive bounds into numbers', () => {
    expect(
      toJsonSchema({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false }),
    ).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 9,
    });
  });

  it('refuses a recursive schema (a cycle, once dereferenced) instead of looping', () => {
    const node: { type: string; properties: Record<string, unknown> } = { type: 'object', properties: {} };
    node.properties.next = node;
    expect(() => toJsonSchema(node)).toThrow(/Recursive schema/);
    expect(() => toJsonSchema({ $ref: '#/components/schemas/Node' })).toThrow(/dereferenced schemas/);
  });
});

describe('the bodySchema of every documented response', () => {
  const responses = operations
    .filter((op) => op.document === 'contacts')
    .flatMap((op) =>
      Object.keys(op.operation.responses).map((status) => {
        const media = responseOf(op, Number(status))?.content?.['application/json'];
        const examples = media?.examples
          ? Object.values(media.examples).map((e) => ('value' in e ? e.value : undefined))
          : media?.example
            ? [media.example]
            : [];
        return { operationId: op.operationId, path: op.path, method: op.method, status: Number(status), examples };
      }),
    );

  it('covers every documented response of the spec, each with an example', () => {
    expect(responses).toHaveLength(Object.values(operationRoutes).reduce((n, route) => n + route.statuses.length, 0));
    for (const r of responses) expect(r.examples.length, `${r.method} ${r.path} ${r.status}`).toBeGreaterThan(0);
  });

  it.each(responses.map((r) => [`${r.method} ${r.path} ${r.status}`, r] as const))(
    '%s: Gavel accepts the schema and the spec examples',
    (_, r) => {
      const schema = bodySchema(r);
      expect(schema).toBeDefined();
      for (const example of r.examples) {
        const result = gavelCheck(schema!, example, r.status);
        expect(result.fields.body?.errors, JSON.stringify(example)).toEqual([]);
        expect(result.valid).toBe(true);
      }
    },
  );

  it('makes Gavel reject what the example-only check lets through', () => {
    const schema = bodySchema({ operationId: 'checkContacts', status: 200 })!;
    const body = {
      meta: { api_status: 'stable', version: 'v2.45.1' },
      contacts: [{ input: '1', status: 'unknown', wa_id: '16315551000' }],
    };
    const withSchema = gavelCheck(schema, body);
    expect(withSchema.valid).toBe(false);
    expect(withSchema.fields.body!.errors.map((e) => e.message).join('\n')).toMatch(/No enum match for: "unknown"/);
    // Dredd's default for OpenAPI 3 (no bodySchema, the example's keys only) sees nothing wrong.
    const example = {
      meta: { api_status: 'stable', version: 'v2.45.1' },
      contacts: [{ wa_id: '16315551000', input: '16315551000', status: 'valid' }],
    };
    const withoutSchema = gavel.validate(
      { statusCode: '200', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(example) },
      { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    expect(withoutSchema.valid).toBe(true);
  });

  it('makes Gavel reject a missing required field and a wrong type', () => {
    const schema = bodySchema({ operationId: 'getBlocklist', status: 200 })!;
    const meta = { api_status: 'stable', version: 'v2.45.1' };
    expect(gavelCheck(schema, { meta, contacts: [], pagination: { limit: 10, offset: 0 } }).valid).toBe(false);
    expect(gavelCheck(schema, { meta, contacts: [], pagination: { limit: 10, offset: 0, total: '1' } }).valid).toBe(
      false,
    );
    expect(gavelCheck(schema, { meta, contacts: [], pagination: { limit: 10, offset: 0, total: 1 } }).valid).toBe(true);
  });
});
