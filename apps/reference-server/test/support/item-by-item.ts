import fastJson from 'fast-json-stringify';
import type { OpenAPIV3 } from 'openapi-types';
import { mergeObjectUnions } from '../../src/http/serialization.js';

/** A schema of `spec` with every $ref replaced by its target, as fastify-openapi-glue hands it on. */
export function derefSchema(spec: OpenAPIV3.Document, schema: unknown): unknown {
  const { schemas } = spec.components as { schemas: Record<string, unknown> };
  const deref = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
      v && typeof v === 'object' && '$ref' in v
        ? deref(
            schemas[
              String((v as { $ref: string }).$ref)
                .split('/')
                .pop()!
            ],
          )
        : v,
    );
  return deref(schema);
}

/**
 * The 200 response of an operation written item by item (fast-json-stringify without its
 * large-array option, which the server uses from LARGE_ARRAY_SIZE items): it drops a property the
 * schema lacks and coerces a value to the schema's type, where JSON.stringify copies them.
 */
export function itemByItemSerializer(
  spec: OpenAPIV3.Document,
  path: string,
  method: 'get' | 'post',
): (data: unknown) => string {
  const response = spec.paths[path]![method]!.responses['200'] as OpenAPIV3.ResponseObject;
  const schema = derefSchema(spec, response.content!['application/json']!.schema);
  return fastJson(mergeObjectUnions(schema) as Parameters<typeof fastJson>[0]);
}
