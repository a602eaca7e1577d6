import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { mergeObjectUnions } from '../../src/http/serialization.js';
import { contactsSpec } from '../../src/specs.js';

type Schema = Record<string, unknown>;
const components = (contactsSpec as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
// The spec's schema with every $ref replaced by its target, as fastify-openapi-glue hands it on.
const deref = (schema: unknown): unknown =>
  JSON.parse(JSON.stringify(schema), (_key, value: unknown) =>
    value && typeof value === 'object' && '$ref' in value
      ? deref(
          components[
            String((value as { $ref: string }).$ref)
              .split('/')
              .pop()!
          ],
        )
      : value,
  );

describe('mergeObjectUnions', () => {
  it("merges the check result's oneOf into one object, keeping each property's type", () => {
    const result = mergeObjectUnions(deref(components.ContactCheckResult)) as Schema;
    expect(result.oneOf).toBeUndefined();
    expect(result).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { input: { type: 'string' }, status: { type: 'string' }, wa_id: { type: 'string' } },
    });
    expect(result.required).toBeUndefined();
  });

  it('writes every kind of check result exactly as JSON.stringify does', () => {
    const schema = deref(components.CheckContactsResponse);
    const merged = fastJson(mergeObjectUnions(schema) as Parameters<typeof fastJson>[0]);
    const original = fastJson(schema as Parameters<typeof fastJson>[0]);
    const body = {
      meta: { api_status: 'stable', version: 'v2.45.1' },
      contacts: [
        { input: '+1 631 555 0003', status: 'valid', wa_id: '16315550003' },
        { input: '+1 631 555 0004', status: 'processing', wa_id: '16315550004' },
        { input: '12', status: 'invalid' },
        { input: 'x"\\\u2028', status: 'failed' },
      ],
    };
    expect(merged(body)).toBe(JSON.stringify(body));
    expect(merged(body)).toBe(original(body));
    // Like the spec's schema, it drops what no branch declares.
    expect(JSON.parse(merged({ ...body, contacts: [{ ...body.contacts[2], extra: 1 }] }))).toEqual({
      ...body,
      contacts: [body.contacts[2]],
    });
  });

  it('keeps a union it cannot merge: a branch that is not an object, or one property with two types', () => {
    const mixed = { oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'string' }] };
    expect(mergeObjectUnions(mixed)).toEqual(mixed);
    const clash = {
      anyOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { type: 'object', properties: { a: { type: 'integer' } } },
      ],
    };
    expect(mergeObjectUnions(clash)).toEqual(clash);
  });

  it('leaves a schema without unions as it was', () => {
    const schema = deref(components.BlocklistResponse);
    expect(mergeObjectUnions(schema)).toEqual(schema);
  });
});
