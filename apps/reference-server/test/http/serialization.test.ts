import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { compileSerializer, LARGE_ARRAY_SIZE, mergeObjectUnions } from '../../src/http/serialization.js';
import { contactsSpec } from '../../src/specs.js';
import { derefSchema, itemByItemSerializer } from '../support/item-by-item.js';

type Schema = Record<string, unknown>;
const components = (contactsSpec as unknown as { components: { schemas: Record<string, Schema> } }).components.schemas;
const deref = (schema: unknown): unknown => derefSchema(contactsSpec, schema);

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

describe('large arrays', () => {
  const server = compileSerializer(deref(components.CheckContactsResponse));
  const kinds = [
    (i: number) => ({
      input: `+1 631 555 ${String(i).padStart(4, '0')}`,
      status: 'valid',
      wa_id: `1631555${String(i).padStart(4, '0')}`,
    }),
    (i: number) => ({
      input: `631-556-${String(i).padStart(4, '0')}`,
      status: 'processing',
      wa_id: `1631556${String(i).padStart(4, '0')}`,
    }),
    (i: number) => ({ input: String(i), status: 'invalid' }),
    (i: number) => ({ input: `x"\\\u2028${i}`, status: 'failed' }),
  ];
  const check = (count: number) => ({
    meta: { api_status: 'stable', version: 'v2.45.1' },
    contacts: Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(i)),
  });

  it(`writes a check of ${LARGE_ARRAY_SIZE} results or more byte for byte as the item-by-item serialiser does`, () => {
    const itemByItem = itemByItemSerializer(contactsSpec, '/v1/contacts', 'post');
    for (const count of [LARGE_ARRAY_SIZE - 1, LARGE_ARRAY_SIZE, 10_000]) {
      const body = check(count);
      expect(server(body)).toBe(itemByItem(body));
      expect(server(body)).toBe(JSON.stringify(body));
    }
  });

  it(`copies a large array's items as they are: whatever builds one gives them the schema's properties only`, () => {
    const extra = (count: number) => {
      const body = check(count);
      (body.contacts[0] as Record<string, unknown>).extra = 1;
      return JSON.parse(server(body)).contacts[0];
    };
    expect(extra(LARGE_ARRAY_SIZE - 1)).not.toHaveProperty('extra');
    expect(extra(LARGE_ARRAY_SIZE)).toHaveProperty('extra', 1);
  });
});
