// OpenAPI 3.0 schemas (dereferenced by the contract toolkit) → plain JSON Schema (draft-07), for Gavel.
//
// Dredd hands OpenAPI 3 responses to Gavel with no `bodySchema`, so by default it only compares
// the response with the example's keys. The hooks set `expected.bodySchema` to what
// `responseSchema()` returns; Gavel (Ajv 6 inside) then validates the real body against it.
// OpenAPI 3.0's dialect differs from JSON Schema in a few places that matter here:
// - `nullable: true` is not JSON Schema: it becomes `type: [T, 'null']` (and `null` in `enum`);
// - `format`s that Ajv 6 does not know (int32, int64, float, double, byte, binary, password)
//   make it throw "unknown format": they are dropped (the type still applies);
// - OpenAPI-only keywords (example, discriminator, xml, externalDocs, deprecated) go away;
// - boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style) become numbers.
// `oneOf`, `anyOf`, `allOf`, `not`, `additionalProperties` are the same in both and stay.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const AJV6_FORMATS = new Set([
  'date',
  'time',
  'date-time',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
]);
const DROPPED = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'deprecated', 'nullable']);
/** Keywords whose values are data, not schemas. */
const DATA = new Set(['enum', 'required', 'type', 'default', 'const']);
/** Keywords whose values map names to schemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** One dereferenced OpenAPI 3.0 schema (object) → its JSON Schema equivalent. */
export function toJsonSchema(schema: unknown, seen: readonly object[] = []): Json {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, seen));
  if (!isObject(schema)) return schema as Json;
  if (typeof schema.$ref === 'string')
    throw new Error(`toJsonSchema takes dereferenced schemas, got $ref ${schema.$ref}`);
  // A recursive schema, dereferenced, is a cycle of objects: Gavel needs a finite tree.
  if (seen.includes(schema)) throw new Error('Recursive schema cannot be inlined');
  const inner = [...seen, schema];

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || (key === 'format' && !AJV6_FORMATS.has(String(value)))) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub, inner)]));
    } else out[key] = DATA.has(key) ? value : toJsonSchema(value, inner);
  }
  for (const bound of ['Minimum', 'Maximum']) {
    const flag = `exclusive${bound}`;
    const limit = bound.toLowerCase();
    if (out[flag] === true && typeof out[limit] === 'number') {
      out[flag] = out[limit];
      delete out[limit];
    } else if (out[flag] === false) delete out[flag];
  }
  if (schema.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  // No type to widen (oneOf, allOf...): null or the schema.
  if (out.type === undefined) return { anyOf: [{ type: 'null' }, out] };
  const types = Array.isArray(out.type) ? out.type : [out.type];
  out.type = types.includes('null') ? types : [...types, 'null'];
  return out;
}
