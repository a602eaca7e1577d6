import { checkResponse, describeErrors, validatorOf } from '@wa-contacts/test-kit/contract';
import type { ValidateFunction } from 'ajv';
import { documentedBodyLimit, type FuzzRequest } from './arbitraries.js';
import type { FuzzResponse, SentRequest } from './harness.js';
import { OPERATIONS, type OperationSpec } from './spec.js';

/**
 * Judges a response by the specs alone: test-kit's `checkResponse` (documented status, JSON
 * body matching its schema, the `errors` envelope, no stack trace beyond what the request
 * itself sent), plus what only the fuzzer knows. Validators are compiled once, at construction,
 * for every operation × documented status × JSON response schema, and for each operation's
 * parameters and request body (to tell whether a request conforms, whatever the generator
 * meant it to be).
 *
 * For every response, besides `checkResponse`:
 * - the status is below 500, unless a fault armed through the sandbox struck (then 500 it is,
 *   for a conforming request);
 * - a 429 (a rate limit; the fuzzer runs with WA_RATE_LIMIT=off) carries 1015 and Retry-After.
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

export class Oracle {
  private readonly operations = new Map<string, CompiledOperation>();
  readonly bodyLimit = documentedBodyLimit();
  /** How many response validators were compiled (operation × status with a JSON schema). */
  readonly compiledResponses: number;

  constructor(operations: readonly OperationSpec[] = OPERATIONS) {
    let compiled = 0;
    for (const op of operations) {
      const responses = new Map<number, ValidateFunction | null>();
      for (const [status, r] of op.responses) {
        responses.set(status, r.schema ? validatorOf(r.schema.value) : null);
        if (r.schema) compiled++;
      }
      const objectOf = (location: 'path' | 'query') => {
        const params = op.parameters.filter((p) => p.in === location);
        if (params.length === 0) return undefined;
        return validatorOf(
          {
            type: 'object',
            properties: Object.fromEntries(params.map((p) => [p.name, p.schema.value])),
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
        body: json.length ? { mediaTypes: json.map(([m]) => m), validate: validatorOf(json[0]![1].value) } : undefined,
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
    problems.push(
      ...checkResponse(req.operationId, status, res.headers, res.text, {
        document: c.op.document,
        echoed: sentTexts(sent),
      }),
    );

    // 429 is documented on every contacts operation (rate limits, off while fuzzing): 1015 with Retry-After.
    if (status === 429) {
      const code = (res.json as { errors?: Array<{ code?: unknown }> } | undefined)?.errors?.[0]?.code;
      if (code !== 1015) problems.push(`a 429 with code ${String(code)}, not 1015`);
      if (!/^[1-9]\d*$/.test(String(res.headers['retry-after'] ?? '')))
        problems.push(`a 429 without Retry-After in whole seconds: ${String(res.headers['retry-after'])}`);
    }

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
}

/** The texts of the request as sent: a fragment of the body found in one of them is an echo. */
function sentTexts(sent: SentRequest): string[] {
  const texts = [sent.url, sent.body ?? '', ...Object.values(sent.headers)];
  try {
    texts.push(decodeURIComponent(sent.url));
  } catch {
    // an invalid escape: the raw URL is there already
  }
  return texts;
}
