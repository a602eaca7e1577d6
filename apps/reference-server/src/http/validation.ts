import { Ajv, type Options, type ValidateFunction } from 'ajv';
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
  return ({ schema, httpPart }) => (httpPart === 'body' ? presentBodyOnly(body.compile(schema)) : finiteNumbers(params.compile(schema)));
}

/**
 * Ajv coerces "Infinity" to a number and, once coerced, checks no further: ?offset=Infinity
 * passed as an integer and failed in the handler (500). A parameter must be a finite number.
 */
function finiteNumbers(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, ctx?: unknown) => {
    if (!validate(data, ctx as never)) {
      check.errors = validate.errors;
      return false;
    }
    check.errors = null;
    const infinite = Object.entries((data ?? {}) as Record<string, unknown>).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    if (!infinite) return true;
    check.errors = [{ instancePath: `/${infinite[0]}`, schemaPath: '#/type', keyword: 'type', params: {}, message: 'must be a finite number' }];
    return false;
  }) as ValidateFunction;
  return Object.assign(check, { schemaEnv: validate.schemaEnv });
}

/**
 * The schema judges a body that is there. An empty JSON body counts as none (json-body.ts),
 * and whether one is required is the route's own check (mount.ts): an optional body sent
 * empty with `Content-Type: application/json` is no body, not a missing one (1008). Fastify
 * validates an absent body as `null`, with the request as parent: a JSON `null` is still judged.
 */
function presentBodyOnly(validate: ValidateFunction): ValidateFunction {
  const check = ((data: unknown, ctx?: { parentData?: { body?: unknown } }) =>
    (data === null && ctx?.parentData !== undefined && ctx.parentData.body === undefined) || validate(data, ctx as never)) as ValidateFunction;
  Object.defineProperty(check, 'errors', { get: () => validate.errors });
  return Object.assign(check, { schemaEnv: validate.schemaEnv });
}
