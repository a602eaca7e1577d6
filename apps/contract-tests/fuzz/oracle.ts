import type { ValidateFunction } from 'ajv';
import { compileSchema, describeErrors, refTo, validatorAt } from './ajv.js';
import { documentedBodyLimit, type FuzzRequest } from './arbitraries.js';
import type { FuzzResponse, SentRequest } from './harness.js';
import { DOCUMENTS, OPERATIONS, pointerOf, type DocumentName, type OperationSpec } from './spec.js';

/**
 * Judges a response by the specs alone. Validators are compiled once, at construction, for
 * every operation × documented status × JSON response schema of both documents, and for each
 * operation's parameters and request body (to tell whether a request conforms, whatever the
 * generator meant it to be).
 *
 * For every response:
 * - the status is below 500, unless a fault armed through the sandbox struck (then 500 it is,
 *   for a conforming request);
 * - it is documented for the operation (401 counts as documented everywhere);
 * - the body is JSON and validates against that status's schema;
 * - every 4xx carries the `errors` envelope: `meta` and a non-empty `errors` of code, title, details;
 * - a 429 (a rate limit; the fuzzer runs with WA_RATE_LIMIT=off) carries 1015 and Retry-After;
 * - no stack trace in the body.
 * And from the request:
 * - a request that does not conform to the spec (credentials, parameters, body, its media
 *   type) is refused with a 4xx, never served;
 * - a conforming request within the body limit is never 401 nor 413; one over the limit, with
 *   valid credentials, is 413.
 */

export interface Conformance {
  conforming: boolean;
  /** Why not, when not. */
  reasons: string[];
  /** The body is larger than the documented limit. */
  oversized: boolean;
}

interface CompiledOperation {
  op: OperationSpec;
  responses: Map<number, ValidateFunction | null>;
  params: ValidateFunction | undefined;
  query: ValidateFunction | undefined;
  body: { mediaTypes: string[]; validate: ValidateFunction } | undefined;
}

// A stack frame: "at fn (/path/file.js:1:2)", "at file:///x.js:3:4", "at node:internal/...:5:6".
const STACK_FRAME = /\bat (?:async )?(?:[^\s()]+ )?\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s()]*:\d+(?::\d+)?\)?/;

export class Oracle {
  private readonly operations = new Map<string, CompiledOperation>();
  private readonly meta = new Map<DocumentName, ValidateFunction>();
  readonly bodyLimit = documentedBodyLimit();
  /** How many response validators were compiled (operation × status with a JSON schema). */
  readonly compiledResponses: number;

  constructor(operations: readonly OperationSpec[] = OPERATIONS) {
    let compiled = 0;
    for (const name of Object.keys(DOCUMENTS) as DocumentName[])
      this.meta.set(name, validatorAt(name, pointerOf('components', 'schemas', 'Meta')));
    for (const op of operations) {
      const responses = new Map<number, ValidateFunction | null>();
      for (const [status, r] of op.responses) {
        responses.set(status, r.schema ? validatorAt(op.document, r.schema.pointer) : null);
        if (r.schema) compiled++;
      }
      const objectOf = (location: 'path' | 'query') => {
        const params = op.parameters.filter((p) => p.in === location);
        if (params.length === 0) return undefined;
        return compileSchema(
          {
            type: 'object',
            properties: Object.fromEntries(params.map((p) => [p.name, refTo(op.document, p.schema.pointer)])),
            required: params.filter((p) => p.required).map((p) => p.name),
          },
          'coercing',
        );
      };
      const json = op.requestBody ? Object.entries(op.requestBody.content) : [];
      this.operations.set(op.operationId, {
        op,
        responses,
        params: objectOf('path'),
        query: objectOf('query'),
        body: json.length
          ? { mediaTypes: json.map(([m]) => m), validate: validatorAt(op.document, json[0]![1].pointer) }
          : undefined,
      });
    }
    this.compiledResponses = compiled;
  }

  operation(id: string): OperationSpec {
    return this.compiled(id).op;
  }

  private compiled(id: string): CompiledOperation {
    const c = this.operations.get(id);
    if (!c) throw new Error(`unknown operation ${id}`);
    return c;
  }

  /** Whether the request, as sent, conforms to the spec of its operation. */
  conformance(req: FuzzRequest, sent: SentRequest): Conformance {
    const c = this.compiled(req.operationId);
    const reasons: string[] = [];
    if (req.auth.mode !== 'valid') reasons.push(`credentials: ${req.auth.mode}`);

    if (c.params) {
      const params: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(req.params)) {
        if (typeof value === 'string') params[name] = value;
        else {
          try {
            params[name] = decodeURIComponent(value.raw);
          } catch {
            reasons.push(`path ${name}: not valid percent-encoding`);
          }
        }
      }
      if (!c.params(params)) reasons.push(`path: ${describeErrors(c.params)}`);
    }

    if (c.query) {
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of req.query) {
        const previous = query[k];
        query[k] = previous === undefined ? v : [...(Array.isArray(previous) ? previous : [previous]), v];
      }
      // The server reads an integer parameter as decimal digits only: Ajv's coercion takes "+1", " " or "0x10" too.
      const integers = new Set(
        c.op.parameters
          .filter((p) => p.in === 'query' && (p.schema.value as { type?: unknown }).type === 'integer')
          .map((p) => p.name),
      );
      for (const [k, v] of req.query)
        if (integers.has(k) && !/^-?\d+$/.test(v)) reasons.push(`query: ${k} is not written in decimal digits`);
      if (!c.query(query)) reasons.push(`query: ${describeErrors(c.query)}`);
      // Ajv coerces "Infinity" to a number and checks no further; a JSON Schema number is finite.
      for (const [k, v] of Object.entries(query))
        if (typeof v === 'number' && !Number.isFinite(v)) reasons.push(`query: ${k} is not a finite number`);
    }

    const text = sent.body;
    const oversized = text !== undefined && Buffer.byteLength(text, 'utf8') > this.bodyLimit;
    const absent = text === undefined || text === '';
    if (c.op.requestBody && c.body) {
      if (absent) {
        if (c.op.requestBody.required) reasons.push('body: required, absent');
      } else {
        const contentType = sent.headers['content-type'];
        const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
        if (!mediaType || !c.body.mediaTypes.includes(mediaType))
          reasons.push(`body: Content-Type ${contentType ?? 'missing'}`);
        let value: unknown;
        let parsed = false;
        try {
          // RFC 8259 §8.1: a parser MAY ignore a leading byte order mark.
          value = JSON.parse(text.replace(/^\ufeff/, ''));
          parsed = true;
        } catch {
          reasons.push('body: not JSON');
        }
        if (parsed && !c.body.validate(value)) reasons.push(`body: ${describeErrors(c.body.validate)}`);
      }
    } else if (!absent) {
      reasons.push('body: the operation takes none');
    }
    return { conforming: reasons.length === 0, reasons, oversized };
  }

  /** Every way the response breaks the spec; empty when it keeps it. */
  check(
    req: FuzzRequest,
    sent: SentRequest,
    res: FuzzResponse,
    conformance = this.conformance(req, sent),
    faultArmed = false,
  ): string[] {
    const c = this.compiled(req.operationId);
    const problems: string[] = [];
    const { status } = res;

    // A fault armed through the sandbox strikes the next calls that reach the handler (past
    // authentication and validation): a conforming request then gets the documented 500.
    const struck = faultArmed && status === 500;
    if (status >= 500 && !struck) problems.push(`status ${status}: a server error`);
    if (faultArmed && conformance.conforming && !conformance.oversized && status !== 500) {
      problems.push(
        `a fault was armed for ${req.operationId}, yet a conforming request was answered ${status}, not 500`,
      );
    }
    const documented = c.responses.has(status) || status === 401;
    if (!documented)
      problems.push(
        `status ${status} is not documented for ${req.operationId} (documented: ${[...c.responses.keys()].join(', ')})`,
      );

    const contentType = String(res.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(contentType))
      problems.push(`Content-Type ${contentType || 'missing'}, not application/json`);
    if (res.json === undefined) problems.push(`the body is not JSON: ${res.text.slice(0, 200)}`);
    else {
      const validate = c.responses.get(status) ?? (status === 401 ? this.errorEnvelopeOf(c.op.document) : undefined);
      if (validate && !validate(res.json))
        problems.push(
          `the body does not match the ${status} schema of ${req.operationId}: ${describeErrors(validate)}`,
        );
      if (status >= 400 && status < 500) problems.push(...envelopeProblems(res.json, this.meta.get(c.op.document)!));
    }

    // 429 is documented on every contacts operation (rate limits, off while fuzzing): 1015 with Retry-After.
    if (status === 429) {
      const code = (res.json as { errors?: Array<{ code?: unknown }> } | undefined)?.errors?.[0]?.code;
      if (code !== 1015) problems.push(`a 429 with code ${String(code)}, not 1015`);
      if (!/^[1-9]\d*$/.test(String(res.headers['retry-after'] ?? '')))
        problems.push(`a 429 without Retry-After in whole seconds: ${String(res.headers['retry-after'])}`);
    }

    const frame = STACK_FRAME.exec(res.text);
    if (frame && !echoes(frame[0], sent)) problems.push(`a stack trace in the body: ${frame[0]}`);

    if (!conformance.conforming && (status < 400 || (status >= 500 && !struck))) {
      problems.push(
        `a request that breaks the spec (${conformance.reasons.join('; ')}) was answered ${status}, not 4xx`,
      );
    }
    if (conformance.conforming && !conformance.oversized && (status === 401 || status === 413)) {
      problems.push(`a conforming request was answered ${status}`);
    }
    if (conformance.oversized && req.auth.mode === 'valid' && status !== 413 && !struck && c.responses.has(413)) {
      problems.push(`a body over ${this.bodyLimit} bytes was answered ${status}, not 413`);
    }
    return problems;
  }

  private readonly envelopes = new Map<DocumentName, ValidateFunction>();
  private errorEnvelopeOf(document: DocumentName): ValidateFunction {
    let v = this.envelopes.get(document);
    if (!v) {
      v = validatorAt(document, pointerOf('components', 'schemas', 'ErrorResponse'));
      this.envelopes.set(document, v);
    }
    return v;
  }
}

/** The `errors` envelope, read structurally (the sandbox's send errors have codes of their own). */
function envelopeProblems(body: unknown, meta: ValidateFunction): string[] {
  const problems: string[] = [];
  const b = body as { meta?: unknown; errors?: unknown } | null;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return ['a 4xx body that is not an object'];
  if (!meta(b.meta)) problems.push(`a 4xx without a valid meta: ${describeErrors(meta)}`);
  if (!Array.isArray(b.errors) || b.errors.length === 0) problems.push('a 4xx without a non-empty errors array');
  else {
    for (const e of b.errors as Array<Record<string, unknown>>) {
      if (
        !Number.isInteger(e?.code) ||
        typeof e?.title !== 'string' ||
        e.title === '' ||
        typeof e?.details !== 'string'
      ) {
        problems.push(`a 4xx error without code, title and details: ${JSON.stringify(e)}`);
      }
    }
  }
  return problems;
}

/** Whether text in a response only repeats what the request sent (an input echoed back). */
function echoes(fragment: string, sent: SentRequest): boolean {
  const haystacks = [sent.url, sent.body ?? '', ...Object.values(sent.headers)];
  try {
    haystacks.push(decodeURIComponent(sent.url));
  } catch {
    // an invalid escape: the raw URL is there already
  }
  return haystacks.some((h) => h.includes(fragment) || h.includes(fragment.slice(3)));
}
