// Every check of a response against the spec, in one module: Gavel checks Dredd's own request
// with the bodySchema set here; validateResponse checks what the hooks send themselves (the
// documented variants) the same way, plus the WhatsApp error code.
import type { Transaction } from 'hooks';
import { contract } from './contract.cjs';
import { DRAFT_07, type Json, type JsonObject, toJsonSchema } from './schemas.cjs';
import { parseJson } from '@wa-contacts/test-kit/api';

/** What a response must be: an operation's documented status and, for errors, the code. */
export interface Expectation {
  operationId: string;
  status: number;
  code?: number | undefined;
}

export interface ResponseSeen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Gavel validates Dredd's real body against this (Dredd alone only compares an example's keys). */
export function bodySchema({ operationId, status }: Expectation): JsonObject | undefined {
  const { operationById, responseOf } = contract();
  const schema = responseOf(operationById(operationId, 'contacts'), status)?.content?.['application/json']?.schema;
  return schema === undefined ? undefined : { $schema: DRAFT_07, ...(toJsonSchema(schema) as JsonObject) };
}

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
  const json = parseJson(body) as Json | undefined;
  const errors = json !== null && typeof json === 'object' && !Array.isArray(json) ? json.errors : undefined;
  const first = Array.isArray(errors) ? errors[0] : undefined;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? first?.code : undefined;
}

/** The problems with `response` as the answer `expected` describes (the toolkit's oracle, and the code); empty when it conforms. */
export function validateResponse(expected: Expectation, response: ResponseSeen): string[] {
  const text = response.body;
  if (response.status !== expected.status)
    return [`expected status ${expected.status}, got ${response.status}: ${text.slice(0, 300)}`];
  const problems = contract().checkResponse(expected.operationId, response.status, response.headers, text);
  const code = errorCodeOf(text);
  if (expected.code !== undefined && code !== expected.code)
    problems.push(`expected error code ${expected.code}, got ${code}: ${text.slice(0, 300)}`);
  return problems;
}
