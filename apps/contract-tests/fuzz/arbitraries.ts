import fc from 'fast-check';
import {
  brokenValue,
  hugeArrays,
  oddStrings,
  resolved,
  validValue,
  fittingExamples,
  Repeated,
  type GenOptions,
  type SchemaRef,
} from './schema-arbitrary.js';
import {
  DOCUMENTS,
  OPERATIONS,
  exampleStrings,
  type DocumentName,
  type OperationSpec,
  type ParameterSpec,
} from './spec.js';

/**
 * Requests for every operation of both specs, derived from the operation's parameters,
 * request body and security scheme: `validRequest(op)` conforms to the spec, `brokenRequest(op)`
 * breaks one thing (credentials, a path or query parameter, the body's schema, its JSON, its
 * content type, its presence or its size). The oracle judges each response; it re-checks
 * conformance itself rather than trusting these labels.
 */

/** How a request authenticates. `valid`: the current token (bearer) or credentials (basic). */
export type AuthSpec =
  | { mode: 'valid' }
  | { mode: 'none' }
  /** A literal Authorization header. */
  | { mode: 'raw'; header: string }
  /** The valid credentials of the other scheme: Basic on a bearer operation, Bearer on login. */
  | { mode: 'other-scheme' }
  | { mode: 'wrong-password'; password: string }
  | { mode: 'unknown-user'; username: string };

/** A body of `head` followed by `padding` spaces: still JSON, larger than the server takes. */
export class PaddedText {
  constructor(
    readonly head: string,
    readonly padding: number,
  ) {}
  toString(): string {
    return this.head + ' '.repeat(this.padding);
  }
  [fc.toStringMethod](): string {
    return `PaddedText(${JSON.stringify(this.head)} + ${this.padding} spaces)`;
  }
}

export type RequestBody =
  | { kind: 'none' }
  /** JSON.stringify(value), sent with this Content-Type (none when null). */
  | { kind: 'json'; value: unknown; contentType: string | null }
  /** Text as is: malformed JSON, an empty body, an oversized one. */
  | { kind: 'text'; text: string | PaddedText; contentType: string | null };

/** A path parameter: a value to percent-encode, or a raw segment sent as is. */
export type PathValue = string | { raw: string };

export interface FuzzRequest {
  operationId: string;
  document: DocumentName;
  kind: 'valid' | 'broken';
  /** What the generator broke ('' for a valid request). */
  breakage: string;
  method: string;
  /** The spec's templated path. */
  path: string;
  params: Record<string, PathValue>;
  query: Array<[string, string]>;
  body: RequestBody;
  auth: AuthSpec;
}

/** The text a body is sent as, or undefined for no body. */
export function bodyText(body: RequestBody): string | undefined {
  if (body.kind === 'none') return undefined;
  if (body.kind === 'json') return JSON.stringify(body.value);
  return String(body.text);
}

/** The body limit the spec documents (PayloadTooLarge: "larger than the server accepts, 1 MiB"). */
export function documentedBodyLimit(): number {
  for (const doc of Object.values(DOCUMENTS)) {
    const response = doc.components?.responses?.PayloadTooLarge as { description?: string } | undefined;
    const mib = /(\d+(?:\.\d+)?)\s*MiB/.exec(response?.description ?? '');
    if (mib) return Math.round(Number(mib[1]) * 1024 * 1024);
  }
  throw new Error('the specs document no body limit (components.responses.PayloadTooLarge)');
}

// ---------------------------------------------------------------------------------------

interface Parts {
  params: Record<string, PathValue>;
  query: Array<[string, string]>;
  body: RequestBody;
}

const EXAMPLES = exampleStrings();
const optionsFor = (_document: DocumentName): GenOptions => ({ examples: EXAMPLES });

const schemaOf = (op: OperationSpec, param: ParameterSpec): SchemaRef => ({
  document: op.document,
  schema: param.schema.value,
  pointer: param.schema.pointer,
});

function bodySchemaOf(op: OperationSpec): { mediaType: string; ref: SchemaRef } | undefined {
  const entry =
    op.requestBody && Object.entries(op.requestBody.content).find(([mediaType]) => mediaType === 'application/json');
  return (
    entry && {
      mediaType: entry[0],
      ref: resolved({ document: op.document, schema: entry[1].value, pointer: entry[1].pointer }),
    }
  );
}

/** How a scalar travels in a URL. */
// A whole number in decimal digits (JSON writes 1e21 for 10^21; the server reads digits only).
const wire = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Number.isInteger(value)
      ? BigInt(value as number).toString()
      : (JSON.stringify(value) ?? String(value));

// '.' and '..' are dot segments: every URL parser (the WHATWG one behind fetch and inject,
// even when percent-encoded) removes them before the server sees the path, so no client can
// send them as a parameter value.
const notDotSegment = (v: string) => v !== '.' && v !== '..';

const validContentType = (mediaType: string) =>
  fc.constantFrom(mediaType, mediaType, mediaType, `${mediaType}; charset=utf-8`);

function validParts(op: OperationSpec): fc.Arbitrary<Parts> {
  const options = optionsFor(op.document);
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const params = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        validValue(schemaOf(op, p), options, [p.example]).map(wire).filter(notDotSegment),
      ]),
    ) as Record<string, fc.Arbitrary<PathValue>>,
  );
  const query = fc
    .record(
      Object.fromEntries(queryParams.map((p) => [p.name, validValue(schemaOf(op, p), options, [p.example]).map(wire)])),
      { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
    )
    .map((q) => Object.entries(q) as Array<[string, string]>);
  return fc.record({ params, query, body: validBody(op) });
}

function validBody(op: OperationSpec): fc.Arbitrary<RequestBody> {
  const body = bodySchemaOf(op);
  if (!op.requestBody || !body) return fc.constant({ kind: 'none' } as const);
  const json = fc.record({
    kind: fc.constant('json' as const),
    value: validValue(body.ref, optionsFor(op.document), [op.requestBody.example]),
    contentType: validContentType(body.mediaType),
  });
  if (op.requestBody.required) return json;
  // An optional body may be left out, or sent empty (a client's `Content-Type: application/json` on a bodiless call).
  return fc.oneof(
    { weight: 4, arbitrary: json },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
    {
      weight: 1,
      arbitrary: validContentType(body.mediaType).map((contentType) => ({
        kind: 'text' as const,
        text: '',
        contentType,
      })),
    },
  );
}

/** A valid request, now and then with an array at its (large) maxItems bound. */
export function validRequest(op: OperationSpec, weights = DEFAULT_WEIGHTS): fc.Arbitrary<FuzzRequest> {
  const body = bodySchemaOf(op);
  const huge = body ? hugeArrays(body.ref, optionsFor(op.document)) : [];
  const choices: Array<fc.WeightedArbitrary<Parts>> = [{ weight: 1000, arbitrary: validParts(op) }];
  for (const h of huge) {
    choices.push({
      weight: weights.hugeArrayPerMille,
      arbitrary: fc
        .tuple(
          validParts(op),
          validValue(body!.ref, optionsFor(op.document), [op.requestBody!.example]),
          h.atMax,
          validContentType(body!.mediaType),
        )
        .map(([parts, value, big, contentType]) => ({
          ...parts,
          body: { kind: 'json' as const, value: setAt(value, h.path, big), contentType },
        })),
    });
  }
  return fc.oneof(...choices).map((parts) => request(op, 'valid', '', parts, { mode: 'valid' }));
}

function request(
  op: OperationSpec,
  kind: FuzzRequest['kind'],
  breakage: string,
  parts: Parts,
  auth: AuthSpec,
): FuzzRequest {
  return {
    operationId: op.operationId,
    document: op.document,
    kind,
    breakage,
    method: op.method,
    path: op.path,
    ...parts,
    auth,
  };
}

function setAt(value: unknown, path: readonly string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  const object = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { ...object, [head]: setAt(object[head], rest, replacement) };
}

// ---------------------------------------------------------------------------------------
// Broken requests

export interface Weights {
  /**
   * Per mille of an operation's valid requests with an array at its (large) maxItems, and of
   * its broken-body requests with one past it: about two of each per 2,000 runs.
   */
  hugeArrayPerMille: number;
  /** Per mille of an operation's broken-body requests that are over the body limit. */
  oversizedPerMille: number;
}

export const DEFAULT_WEIGHTS: Weights = { hugeArrayPerMille: 35, oversizedPerMille: 40 };

function brokenAuth(op: OperationSpec): fc.Arbitrary<{ auth: AuthSpec; why: string }> {
  const printable = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 });
  const token = fc.stringMatching(/^[A-Za-z0-9_-]{20,60}$/);
  const common = [
    fc.constant({ auth: { mode: 'none' } as AuthSpec, why: 'auth: no Authorization header' }),
    fc.constant({ auth: { mode: 'other-scheme' } as AuthSpec, why: 'auth: the other scheme' }),
    printable.map((header) => ({ auth: { mode: 'raw', header } as AuthSpec, why: 'auth: garbage header' })),
  ];
  if (op.security === 'basicAuth') {
    return fc.oneof(
      ...common,
      fc
        .oneof(printable, oddStrings([]))
        .map((password) => ({ auth: { mode: 'wrong-password', password } as AuthSpec, why: 'auth: wrong password' })),
      fc
        .oneof(printable, oddStrings([]))
        .map((username) => ({ auth: { mode: 'unknown-user', username } as AuthSpec, why: 'auth: unknown user' })),
      fc
        .constantFrom('Basic', 'Basic ', 'Basic !!!!', 'Basic YWRtaW4=', 'Basic Og==', 'basic')
        .map((header) => ({ auth: { mode: 'raw', header } as AuthSpec, why: 'auth: malformed Basic' })),
    );
  }
  return fc.oneof(
    ...common,
    token.map((t) => ({ auth: { mode: 'raw', header: `Bearer ${t}` } as AuthSpec, why: 'auth: unknown token' })),
    fc
      .constantFrom('Bearer', 'Bearer ', 'Bearer a b', 'Token abc', 'bearer')
      .map((header) => ({ auth: { mode: 'raw', header } as AuthSpec, why: 'auth: malformed Bearer' })),
  );
}

const RAW_BAD_ESCAPES = ['%', '%E0%A4%A', '%zz', '%C3', '%ED%A0%80', '%F0%9F', '%%', '%u0031'];

function brokenPathParam(op: OperationSpec, param: ParameterSpec): fc.Arbitrary<{ value: PathValue; why: string }> {
  const options = optionsFor(op.document);
  const ref = schemaOf(op, param);
  const pool = fittingExamples(resolved(ref), options);
  return fc
    .oneof(
      {
        weight: 6,
        arbitrary: brokenValue(ref, options).map((b) => ({
          value: wire(b.value),
          why: `path ${param.name}: ${b.why}`,
        })),
      },
      { weight: 3, arbitrary: oddStrings(pool).map((value) => ({ value, why: `path ${param.name}: odd string` })) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(...(pool.length ? pool : ['1'])), fc.constantFrom(...RAW_BAD_ESCAPES))
          .map(([good, bad]) => ({
            value: { raw: `${encodeURIComponent(good)}${bad}` },
            why: `path ${param.name}: invalid percent-encoding`,
          })),
      },
    )
    .filter((b) => typeof b.value !== 'string' || notDotSegment(b.value));
}

/** Broken values of one query parameter, as the pairs to send in its place. */
function brokenQuery(
  op: OperationSpec,
  param: ParameterSpec,
): fc.Arbitrary<{ query: Array<[string, string]>; why: string }> {
  const options = optionsFor(op.document);
  const ref = schemaOf(op, param);
  const valid = validValue(ref, options).map(wire);
  const one = (v: string): Array<[string, string]> => [[param.name, v]];
  return fc.oneof(
    {
      weight: 5,
      arbitrary: brokenValue(ref, options).map((b) => ({
        query: one(wire(b.value)),
        why: `query ${param.name}: ${b.why}`,
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(
            '',
            ' ',
            'abc',
            '1.5',
            ' 5',
            '5 ',
            '0x10',
            '1e3',
            '-0',
            '+1',
            '١٠',
            '１０',
            'Infinity',
            'NaN',
            '[]',
            '{}',
          ),
          fc.string({ maxLength: 6 }),
        )
        .map((v) => ({ query: one(v), why: `query ${param.name}: odd text` })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, valid)
        .map(([a, b]) => ({ query: [...one(a), ...one(b)], why: `query ${param.name}: repeated` })),
    },
  );
}

const MALFORMED_JSON = [
  '{',
  '}',
  '{"',
  '[1,]',
  '{"a":1,}',
  "{'a':1}",
  'undefined',
  'NaN',
  '{a:1}',
  '"unterminated',
  '{}}',
  'tru',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '[',
  '\u0000',
];

function brokenBody(op: OperationSpec, weights: Weights): fc.Arbitrary<{ body: RequestBody; why: string }> | undefined {
  const body = bodySchemaOf(op);
  if (!op.requestBody || !body) return undefined;
  const options = optionsFor(op.document);
  const valueArb = validValue(body.ref, options, [op.requestBody.example]);
  const ct = validContentType(body.mediaType);
  const choices: Array<fc.WeightedArbitrary<{ body: RequestBody; why: string }>> = [
    {
      weight: 600,
      arbitrary: fc
        .tuple(brokenValue(body.ref, options), ct)
        .map(([b, contentType]) => ({ body: { kind: 'json', value: b.value, contentType }, why: `body: ${b.why}` })),
    },
    {
      weight: 150,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.constantFrom(...MALFORMED_JSON),
            fc
              .tuple(valueArb, fc.nat())
              .map(([v, n]) => {
                const t = JSON.stringify(v);
                return t.slice(0, n % t.length);
              })
              .filter((t) => t.length > 0),
          ),
          ct,
        )
        .map(([text, contentType]) => ({ body: { kind: 'text', text, contentType }, why: 'body: malformed JSON' })),
    },
    {
      weight: 120,
      arbitrary: fc
        .tuple(
          valueArb,
          fc.constantFrom(
            null,
            'text/plain',
            'text/plain; charset=utf-8',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'text/json',
            'application/json-patch+json',
            'application/octet-stream',
            '*/*',
            'json',
          ),
        )
        .map(([value, contentType]) => ({
          body: { kind: 'json', value, contentType },
          why: `body: Content-Type ${contentType ?? 'missing'}`,
        })),
    },
    {
      weight: 80,
      arbitrary: fc.oneof(
        fc.constant({ body: { kind: 'none' } as RequestBody, why: 'body: none' }),
        ct.map((contentType) => ({ body: { kind: 'text', text: '', contentType } as RequestBody, why: 'body: empty' })),
        fc.constant({
          body: { kind: 'json', value: null, contentType: body.mediaType } as RequestBody,
          why: 'body: null',
        }),
      ),
    },
    {
      weight: weights.oversizedPerMille,
      arbitrary: fc.tuple(valueArb, fc.integer({ min: 1, max: 4096 }), ct).map(([value, extra, contentType]) => ({
        body: { kind: 'text', text: new PaddedText(JSON.stringify(value), documentedBodyLimit() + extra), contentType },
        why: 'body: over the body limit',
      })),
    },
  ];
  for (const h of hugeArrays(body.ref, options)) {
    choices.push({
      weight: weights.hugeArrayPerMille,
      arbitrary: fc.tuple(valueArb, h.overMax, ct).map(([value, big, contentType]) => ({
        body: { kind: 'json', value: setAt(value, h.path, big), contentType },
        why: `body: ${h.path.join('.')} past maxItems (${big.length} items)`,
      })),
    });
  }
  return fc.oneof(...choices);
}

/** A request that breaks one thing, the rest valid. */
export function brokenRequest(op: OperationSpec, weights = DEFAULT_WEIGHTS): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const parts = validParts(op);
  const choices: Array<fc.WeightedArbitrary<FuzzRequest>> = [
    { weight: 2, arbitrary: fc.tuple(parts, brokenAuth(op)).map(([p, a]) => request(op, 'broken', a.why, p, a.auth)) },
  ];
  // Each parameter's broken values are built once, here, not per sample.
  if (pathParams.length > 0) {
    choices.push({
      weight: 3,
      arbitrary: fc.oneof(
        ...pathParams.map((param) =>
          fc
            .tuple(parts, brokenPathParam(op, param))
            .map(([p, b]) =>
              request(op, 'broken', b.why, { ...p, params: { ...p.params, [param.name]: b.value } }, { mode: 'valid' }),
            ),
        ),
      ),
    });
  }
  if (queryParams.length > 0) {
    choices.push({
      weight: 3,
      arbitrary: fc.oneof(
        ...queryParams.map((param) => {
          const broken = brokenQuery(op, param);
          return fc
            .tuple(parts, broken)
            .map(([p, b]) =>
              request(
                op,
                'broken',
                b.why,
                { ...p, query: [...p.query.filter(([k]) => k !== param.name), ...b.query] },
                { mode: 'valid' },
              ),
            );
        }),
      ),
    });
  }
  const body = brokenBody(op, weights);
  if (body)
    choices.push({
      weight: 5,
      arbitrary: fc
        .tuple(parts, body)
        .map(([p, b]) => request(op, 'broken', b.why, { ...p, body: b.body }, { mode: 'valid' })),
    });
  return fc.oneof(...choices);
}

/** Any operation of both specs, valid or broken half of the time each. */
export function anyRequest(
  weights = DEFAULT_WEIGHTS,
  operations: readonly OperationSpec[] = OPERATIONS,
): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...operations.map((op) => fc.oneof(validRequest(op, weights), brokenRequest(op, weights))));
}

export { Repeated };
