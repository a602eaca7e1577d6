import { Ajv, type Options } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

// Bodies are JSON and keep their types ("true" is not a boolean); path and query parameters
// arrive as strings and are coerced. Unknown body fields are refused, as the spec's
// `additionalProperties: false` says, instead of Fastify's default of silently dropping them.
const common: Options = { strict: false, useDefaults: true, removeAdditional: false, allErrors: false };

function withFormats(ajv: Ajv): Ajv {
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<object> {
  const body = withFormats(new Ajv({ ...common, coerceTypes: false }));
  const params = withFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => (httpPart === 'body' ? body : params).compile(schema);
}
