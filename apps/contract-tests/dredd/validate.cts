// Every check of a response against the spec, in one module: Gavel checks Dredd's own request
// with the bodySchema set here; validateResponse checks what the hooks send themselves (the
// documented variants) the same way, plus the WhatsApp error code.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Transaction } from 'hooks';
import { type JsonObject, type ResponseKey, responseSchema } from './schemas.cjs';
import { spec } from './spec.cjs';
import { headerValue, parseJson } from './target.cjs';

/** What a response must be: an operation's documented status and, for errors, the code. */
export interface Expectation extends ResponseKey {
  code?: number | undefined;
}

export interface ResponseSeen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Gavel validates Dredd's real body against this (Dredd alone only compares an example's keys). */
export const bodySchema = (expected: ResponseKey): JsonObject | undefined => responseSchema(spec, expected);

/**
 * Gavel compares Content-Type as an exact string: `application/json; charset=utf-8` would fail
 * against the spec's `application/json`. The same media type makes the parameters fine; another
 * one still fails in Gavel with its own message.
 */
export function acceptCharset(transaction: Transaction): void {
  const expected = headerName(transaction.expected.headers, 'content-type');
  const actual = headerName(transaction.real?.headers ?? {}, 'content-type');
  if (!expected || !actual || !transaction.real) return;
  const mediaType = (value: string) => value.split(';')[0]!.trim().toLowerCase();
  const real = transaction.real.headers[actual]!;
  if (mediaType(transaction.expected.headers[expected]!) === mediaType(real))
    transaction.expected.headers[expected] = real;
}

const headerName = (headers: Record<string, string>, name: string) =>
  Object.keys(headers).find((key) => key.toLowerCase() === name);

/** The WhatsApp error code of an errors envelope, if the body is one. */
export function errorCodeOf(body: string): unknown {
  const json = parseJson(body);
  const errors = json !== null && typeof json === 'object' && !Array.isArray(json) ? json.errors : undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? first?.code : undefined;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction | null>();
function validatorFor(expected: ResponseKey): ValidateFunction | null {
  const key = `${expected.method} ${expected.path} ${expected.status}`;
  if (!compiled.has(key)) {
    const schema = bodySchema(expected);
    compiled.set(key, schema ? ajv.compile(schema) : null);
  }
  return compiled.get(key) ?? null;
}

/** The problems with `response` as the answer `expected` describes; empty when it conforms. */
export function validateResponse(expected: Expectation, response: ResponseSeen): string[] {
  const text = response.body;
  if (response.status !== expected.status)
    return [`expected status ${expected.status}, got ${response.status}: ${text.slice(0, 300)}`];
  const problems: string[] = [];
  const contentType = headerValue(response.headers, 'content-type');
  if (!/^application\/json\b/.test(contentType ?? ''))
    problems.push(`expected application/json, got content-type ${contentType}`);
  const validate = validatorFor(expected);
  const json = parseJson(text);
  if (validate && json === undefined) problems.push(`body is not JSON: ${text.slice(0, 200)}`);
  else if (validate && !validate(json))
    problems.push(`body does not match the schema: ${ajvErrors(validate.errors)}; body ${text.slice(0, 300)}`);
  const code = errorCodeOf(text);
  if (expected.code !== undefined && code !== expected.code)
    problems.push(`expected error code ${expected.code}, got ${code}: ${text.slice(0, 300)}`);
  return problems;
}

const ajvErrors = (errors: ErrorObject[] | null | undefined = []) =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => {
      const allowed = e.params.allowedValues as unknown[] | undefined;
      return `${e.instancePath || '/'} ${e.message}${allowed ? ` (${allowed.join(', ')})` : ''}`;
    })
    .join('; ');
