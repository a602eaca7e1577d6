import { Ajv, type Options, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

// Bodies are JSON and keep their types ("true" is not a boolean); path and query parameters
// arrive as strings and are coerced. Unknown body fields are refused, as the spec's
// `additionalProperties: false` says, instead of Fastify's default of silently dropping them.
const common: Options = { strict: false, useDefaults: true, removeAdditional: false, allErrors: false };

/** The server's one Ajv set-up (requests, the seed file): the spec's int64 format, an integer JavaScript holds exactly. */
export function createAjv(options: Options): Ajv {
  const ajv = new Ajv({ strict: false, ...options });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<object> {
  const body = createAjv({ ...common, coerceTypes: false });
  const params = createAjv({ ...common, coerceTypes: 'array' });
  return ({ schema, httpPart }) =>
    httpPart === 'body'
      ? presentBodyOnly(body.compile(schema))
      : digitsOnly(integerNames(schema), finiteNumbers(params.compile(schema)));
}

const INTEGER = /^-?\d+$/;

/** The properties of a parameters schema that the spec types as integers. */
function integerNames(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  return Object.keys(properties).filter((name) => properties[name]?.type === 'integer');
}

/**
 * Ajv coerces any string `+x` reads as a whole number: "0x10" became 16, " " 0 and "1e308"
 * 1e+308. An integer parameter must be written in decimal digits (a huge one stays valid:
 * the spec sets no maximum on offset, and a page past the end is empty).
 */
function digitsOnly(names: string[], validate: ValidateFunction): ValidateFunction {
  if (names.length === 0) return validate;
  const check = ((data: unknown, ctx?: unknown) => {
    const values = (data ?? {}) as Record<string, unknown>;
    const bad = names.find((name) =>
      (Array.isArray(values[name]) ? values[name] : [values[name]]).some(
        (v) => typeof v === 'string' && !INTEGER.test(v),
      ),
    );
    if (bad !== undefined) {
      check.errors = [
        {
          instancePath: `/${bad}`,
          schemaPath: '#/type',
          keyword: 'type',
          params: { type: 'integer' },
          message: 'must be integer',
        },
      ];
      return false;
    }
    const valid = validate(data, ctx as never);
    check.errors = validate.errors;
    return valid;
  }) as ValidateFunction;
  return Object.assign(check, { schemaEnv: validate.schemaEnv });
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
    const infinite = Object.entries((data ?? {}) as Record<string, unknown>).find(
      ([, v]) => typeof v === 'number' && !Number.isFinite(v),
    );
    if (!infinite) return true;
    check.errors = [
      {
        instancePath: `/${infinite[0]}`,
        schemaPath: '#/type',
        keyword: 'type',
        params: {},
        message: 'must be a finite number',
      },
    ];
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
    (data === null && ctx?.parentData !== undefined && ctx.parentData.body === undefined) ||
    validate(data, ctx as never)) as ValidateFunction;
  Object.defineProperty(check, 'errors', { get: () => validate.errors });
  return Object.assign(check, { schemaEnv: validate.schemaEnv });
}
