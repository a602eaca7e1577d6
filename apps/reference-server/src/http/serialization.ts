import type { FastifyInstance } from 'fastify';
import fastJson from 'fast-json-stringify';

type Schema = Record<string, unknown>;

const isObjectSchema = (s: unknown): s is Schema & { properties: Record<string, Schema> } =>
  typeof s === 'object' &&
  s !== null &&
  (s as Schema).type === 'object' &&
  typeof (s as Schema).properties === 'object';

/**
 * The schema a response is written with: the spec's, except that a oneOf / anyOf of object
 * schemas becomes one object with every branch's properties. fast-json-stringify picks the
 * branch of a union by validating each value against the branches first, which was 40 % of
 * the cost of writing a 1,000-number check result; written with the merged schema the JSON
 * is the same, since a serializer only copies the properties a value has. Unions it cannot
 * merge (branches that are not all objects, or one property with two different types) are
 * kept as they are. Responses stay checked against the spec's own schemas by the tests.
 */
export function mergeObjectUnions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(mergeObjectUnions);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) out[key] = mergeObjectUnions(value);
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = out[keyword];
    if (!Array.isArray(branches) || !branches.every(isObjectSchema)) continue;
    const properties: Record<string, Schema> = {};
    let mergeable = true;
    for (const branch of branches) {
      for (const [name, property] of Object.entries(branch.properties)) {
        const seen = properties[name];
        if (seen === undefined) properties[name] = property;
        else if (JSON.stringify(seen) !== JSON.stringify(property)) {
          // Only what a serializer uses is kept: the type. Two types cannot merge.
          if (typeof seen.type !== 'string' || seen.type !== property.type) mergeable = false;
          else properties[name] = { type: seen.type };
        }
      }
    }
    if (!mergeable) continue;
    delete out[keyword];
    out.type = 'object';
    out.properties = properties;
    // Extras are dropped only where every branch drops them.
    if (branches.every((b) => b.additionalProperties === false)) out.additionalProperties = false;
  }
  return out;
}

/**
 * Arrays of LARGE_ARRAY_SIZE items or more (a check of 1,000 to 10,000 numbers, a snapshot's
 * tables, a page of 1,000 webhook callbacks) are written by JSON.stringify, fast-json-stringify's
 * own option for them: appended item by item, 10,000 check results took 13 ms where
 * JSON.stringify takes 2 (docs/performance.md). Their items are not coerced to the schema, so
 * whatever builds such an array gives each item exactly the schema's properties and types; the
 * tests of those three hold their output to the item-by-item serialiser's.
 */
export const LARGE_ARRAY_SIZE = 1_000;
const LARGE_ARRAYS = { largeArrayMechanism: 'json-stringify', largeArraySize: LARGE_ARRAY_SIZE } as const;

/** The serialiser of a response schema: the merged schema, large arrays written by JSON.stringify. */
export const compileSerializer = (schema: unknown): ((data: unknown) => string) =>
  fastJson(mergeObjectUnions(schema) as Parameters<typeof fastJson>[0], LARGE_ARRAYS);

// A body this long goes out as a Buffer, encoded once: as a string fastify measures it (byteLength,
// flattening the serialiser's concatenation) and the socket encodes it again (10,000 results: 8-10 % of the CPU).
export const BUFFERED_BODY = 65_536;

/** Response serialisers compiled once per route at start-up. */
export function registerSerializerCompiler(app: FastifyInstance): void {
  app.setSerializerCompiler(({ schema }) => {
    const serialize = compileSerializer(schema);
    return (data) => {
      const json = serialize(data);
      // fastify sends a string or a Buffer alike (reply.js onSendEnd); its serialiser type says string.
      return json.length >= BUFFERED_BODY ? (Buffer.from(json) as unknown as string) : json;
    };
  });
}
