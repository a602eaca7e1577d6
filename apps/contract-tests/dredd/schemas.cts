// OpenAPI 3.0 schemas → plain JSON Schema (draft-07), fully dereferenced, for Gavel.
//
// Dredd hands OpenAPI 3 responses to Gavel with no `bodySchema`, so by default it only compares
// the response with the example's keys. The hooks set `expected.bodySchema` to what
// `responseSchema()` returns; Gavel (Ajv 6 inside) then validates the real body against it.
// OpenAPI 3.0's dialect differs from JSON Schema in a few places that matter here:
// - `nullable: true` is not JSON Schema: it becomes `type: [T, 'null']` (and `null` in `enum`);
// - `$ref` must not be left pointing into the OpenAPI document: every one is inlined;
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

export function resolvePointer(root: unknown, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => {
      if (!isObject(node) && !Array.isArray(node)) throw new Error(`Unresolvable $ref ${ref}`);
      if (!(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
      return (node as Record<string, unknown>)[key];
    }, root) as Json;
}

/** One OpenAPI 3.0 schema (object) → its JSON Schema equivalent, every $ref inlined. */
export function toJsonSchema(schema: unknown, root: unknown, seen: string[] = []): Json {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, root, seen));
  if (!isObject(schema)) return schema as Json;
  if (typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref))
      throw new Error(`Recursive schema ${[...seen, schema.$ref].join(' → ')} cannot be inlined`);
    return toJsonSchema(resolvePointer(root, schema.$ref), root, [...seen, schema.$ref]);
  }

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || (key === 'format' && !AJV6_FORMATS.has(String(value)))) continue;
    if (SCHEMA_MAPS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub, root, seen)]));
    } else out[key] = DATA.has(key) ? value : toJsonSchema(value, root, seen);
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

/** The parts of the bundled OpenAPI document the hooks read. */
export interface OpenApiDocument {
  security?: SecurityRequirement[];
  paths: Record<string, Record<string, OpenApiOperation | undefined> | undefined>;
  components?: JsonObject;
}
export type SecurityRequirement = Record<string, string[]>;
export interface OpenApiOperation {
  operationId: string;
  security?: SecurityRequirement[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Json }> }>;
}

/** An operation and one of its documented statuses. */
export interface ResponseKey {
  path: string;
  method: string;
  status: number;
  mediaType?: string;
}

/**
 * The JSON Schema of an operation's response body for one status and media type, from the
 * bundled document; undefined when the spec declares no body for it.
 */
export function responseSchema(
  spec: OpenApiDocument,
  { path, method, status, mediaType = 'application/json' }: ResponseKey,
): JsonObject | undefined {
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`No operation ${method} ${path} in the spec`);
  let response = operation.responses[String(status)];
  if (!response) throw new Error(`${method} ${path} documents no ${status} response`);
  if (response.$ref) response = resolvePointer(spec, response.$ref) as typeof response;
  const schema = response.content?.[mediaType]?.schema;
  if (schema === undefined) return undefined;
  return { $schema: DRAFT_07, ...(toJsonSchema(schema, spec) as JsonObject) };
}
