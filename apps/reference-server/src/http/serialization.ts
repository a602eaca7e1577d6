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

/** Response serialisers compiled once per route at start-up, from the merged schemas. */
export function registerSerializerCompiler(app: FastifyInstance): void {
  app.setSerializerCompiler(({ schema }) => fastJson(mergeObjectUnions(schema) as Parameters<typeof fastJson>[0]));
}
