import { describeErrors, shared, validatorAt, validatorOf } from './ajv.js';
import { CALLBACKS_ID, pointerOf, type DocumentName } from './documents.js';
import { leakProblems } from './leaks.js';
import { documentedStatuses, operationById, responseOf } from './operations.js';

/**
 * The one response oracle: every way an answer breaks the spec, as a list of sentences (empty
 * when it conforms). The reference server's suite, the fuzzer and the Dredd hooks all judge by it.
 */

export type ResponseHeaders = Readonly<Record<string, string | string[] | number | undefined>>;

export interface CheckOptions {
  /** Which document the operation belongs to (both are searched by default). */
  document?: DocumentName;
  /** The texts the request sent (URL, body, header values): a stack-like fragment found there is an echo, not a leak. */
  echoed?: readonly string[];
}

/** The body as text and, when it parses, as JSON (`undefined`: empty or not JSON). */
export function readBody(body: unknown): { text: string; json: unknown; parsed: boolean } {
  if (body === undefined) return { text: '', json: undefined, parsed: false };
  if (typeof body !== 'string' && !Buffer.isBuffer(body))
    return { text: JSON.stringify(body), json: body, parsed: true };
  const text = body.toString();
  if (text === '') return { text, json: undefined, parsed: false };
  try {
    // RFC 8259 §8.1: a parser MAY ignore a leading byte order mark.
    return { text, json: JSON.parse(text.replace(/^\ufeff/, '')), parsed: true };
  } catch {
    return { text, json: undefined, parsed: false };
  }
}

const contentTypeOf = (headers: ResponseHeaders) => {
  const value = headers['content-type'] ?? headers['Content-Type'];
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
};

/** The `errors` envelope, read structurally (the sandbox's send errors have codes of their own). */
export function envelopeProblems(status: number, body: unknown, document: DocumentName = 'contacts'): string[] {
  const b = body as { meta?: unknown; errors?: unknown } | null;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return [`a ${status} body that is not an object`];
  const problems: string[] = [];
  const meta = validatorAt(document, pointerOf('components', 'schemas', 'Meta'));
  if (!meta(b.meta)) problems.push(`a ${status} without a valid meta: ${describeErrors(meta)}`);
  if (!Array.isArray(b.errors) || b.errors.length === 0) problems.push(`a ${status} without a non-empty errors array`);
  else {
    for (const e of b.errors as Array<Record<string, unknown> | null>) {
      if (!Number.isInteger(e?.code) || typeof e?.title !== 'string' || e.title === '' || typeof e.details !== 'string')
        problems.push(`a ${status} error without code, title and details: ${JSON.stringify(e)}`);
    }
  }
  return problems;
}

/** JSON, and JSON of the right media type, or the problems. */
function jsonProblems(status: number, headers: ResponseHeaders, read: ReturnType<typeof readBody>): string[] {
  const problems: string[] = [];
  const contentType = contentTypeOf(headers);
  if (!/^application\/json\b/i.test(contentType))
    problems.push(`Content-Type ${contentType || 'missing'}, not application/json`);
  if (!read.parsed) problems.push(`the ${status} body is not JSON: ${read.text.slice(0, 200)}`);
  return problems;
}

/**
 * Every way `(status, headers, body)` breaks the spec as the answer to `operationId`: the
 * status is documented (or `default` is); a documented JSON body is application/json and
 * matches its schema; a 4xx or 5xx carries the `errors` envelope, a success carries no
 * `errors`; no stack trace or Fastify error shape. `body`: the raw text (or the parsed JSON).
 */
export function checkResponse(
  operationId: string,
  status: number,
  headers: ResponseHeaders,
  body: unknown,
  options: CheckOptions = {},
): string[] {
  const op = operationById(operationId, options.document);
  const read = readBody(body);
  const problems: string[] = [];
  const response = responseOf(op, status);
  if (!response)
    problems.push(
      `status ${status} is not documented for ${operationId} (documented: ${documentedStatuses(op).join(', ')})`,
    );
  const schema = response?.content?.['application/json']?.schema;
  if (schema || status >= 400) {
    problems.push(...jsonProblems(status, headers, read));
    if (schema && read.parsed) {
      const validate = validatorOf(schema);
      if (!validate(read.json))
        problems.push(`the body does not match the ${status} schema of ${operationId}: ${describeErrors(validate)}`);
    }
  }
  if (read.parsed) problems.push(...successOrEnvelope(status, read.json, op.document));
  problems.push(...leakProblems(read.text, read.json, options.echoed));
  return problems;
}

function successOrEnvelope(status: number, json: unknown, document: DocumentName): string[] {
  if (status >= 400) return envelopeProblems(status, json, document);
  const carriesErrors = typeof json === 'object' && json !== null && Object.hasOwn(json, 'errors');
  return carriesErrors ? [`a ${status} that carries errors`] : [];
}

/**
 * For answers that belong to no operation (unknown route, wrong method, sandbox switched off):
 * a 4xx or 5xx in the `errors` envelope (the spec's ErrorResponse), and no leak.
 */
export function checkUnrouted(
  status: number,
  headers: ResponseHeaders,
  body: unknown,
  options: Pick<CheckOptions, 'echoed'> = {},
): string[] {
  const read = readBody(body);
  const problems = status >= 400 ? [] : [`status ${status} for a request no operation answers, not an error`];
  problems.push(...jsonProblems(status, headers, read));
  if (read.parsed) {
    const validate = validatorAt('contacts', pointerOf('components', 'schemas', 'ErrorResponse'));
    if (!validate(read.json)) problems.push(`the body is not the spec's ErrorResponse: ${describeErrors(validate)}`);
    problems.push(...envelopeProblems(status, read.json));
  }
  problems.push(...leakProblems(read.text, read.json, options.echoed));
  return problems;
}

let callbackValidator: ReturnType<typeof validatorOf> | undefined;

/**
 * The oracle of a callback the node POSTs to `webhooks.url` (`body`: the raw text or the parsed
 * JSON): the spec's `WebhookCallback` (spec/webhooks.yaml), and no leak. Empty when it conforms.
 */
export function checkCallback(body: unknown): string[] {
  const read = readBody(body);
  if (!read.parsed) return [`the callback is not JSON: ${read.text.slice(0, 200)}`];
  callbackValidator ??= shared('strict').compile({ $ref: `${CALLBACKS_ID}#/components/schemas/WebhookCallback` });
  const problems = callbackValidator(read.json)
    ? []
    : [`the callback does not match WebhookCallback: ${describeErrors(callbackValidator)}`];
  return [...problems, ...leakProblems(read.text, read.json)];
}
