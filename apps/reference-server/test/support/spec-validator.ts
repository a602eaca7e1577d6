import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

/**
 * Checks responses against the bundled specs: the status must be one the operation documents,
 * and the JSON body must validate against that status's schema. Both documents are added to
 * one Ajv instance under their own $id, and each response schema is compiled once, by JSON
 * pointer into its document, so `$ref: '#/components/...'` resolves inside the right spec.
 */

const require = createRequire(import.meta.url);
const contactsSpec = require('@wa-contacts/spec/contacts.json') as OpenApiDocument;
const sandboxSpec = require('@wa-contacts/spec/sandbox.json') as OpenApiDocument;

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

/** What a check needs of a response, from app.inject() or fetch alike. */
export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The parsed JSON body, or undefined when the body was empty. */
  body: unknown;
  /** The raw body text. */
  text: string;
}

export interface OperationKey {
  method: string;
  /** The spec's templated path, e.g. '/v1/contacts/{wa_id}/identity'. */
  path: string;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
const DOCUMENTS = [
  { id: 'contacts.json', spec: contactsSpec },
  { id: 'sandbox.json', spec: sandboxSpec },
] as const;

// ajv-formats is CommonJS: under NodeNext its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const pointer = (...segments: string[]) => `#/${segments.map(escapeSegment).join('/')}`;

function resolveLocal(spec: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

interface DocumentedStatus {
  /** null: the status is documented without a JSON body. */
  validate: ValidateFunction | null;
}

interface Operation {
  operationId: string;
  document: string;
  statuses: Map<number, DocumentedStatus>;
}

function build(): { operations: Map<string, Operation>; errorEnvelope: ValidateFunction } {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  for (const { id, spec } of DOCUMENTS) ajv.addSchema(spec as object, id);

  const operations = new Map<string, Operation>();
  for (const { id, spec } of DOCUMENTS) {
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method)) continue;
        const { operationId, responses } = op as { operationId: string; responses: Record<string, ResponseObject> };
        const statuses = new Map<number, DocumentedStatus>();
        for (const [status, response] of Object.entries(responses)) {
          // A response is either inline or a $ref to components/responses.
          const location = response.$ref ?? pointer('paths', path, method, 'responses', status);
          const resolved = (response.$ref ? resolveLocal(spec, response.$ref) : response) as ResponseObject;
          const hasJson = resolved.content?.['application/json']?.schema !== undefined;
          statuses.set(Number(status), {
            validate: hasJson ? ajv.compile({ $ref: `${id}${location}/content/application~1json/schema` }) : null,
          });
        }
        operations.set(key({ method, path }), { operationId, document: id, statuses });
      }
    }
  }
  const errorEnvelope = ajv.compile({ $ref: 'contacts.json#/components/schemas/ErrorResponse' });
  return { operations, errorEnvelope };
}

const key = (op: OperationKey) => `${op.method.toUpperCase()} ${op.path}`;

let compiled: ReturnType<typeof build> | undefined;
const validators = () => (compiled ??= build());

/** Every operation the specs document, as `METHOD path` (to check the suite's coverage). */
export function documentedOperations(): Array<OperationKey & { operationId: string; statuses: number[] }> {
  return [...validators().operations.entries()].map(([k, op]) => {
    const [method, path] = k.split(' ') as [string, string];
    return { method, path, operationId: op.operationId, statuses: [...op.statuses.keys()] };
  });
}

function describeFailure(response: CheckedResponse, errors: ErrorObject[] | null | undefined): string {
  const list = (errors ?? [])
    .map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
  return `status ${response.status}, body ${response.text.slice(0, 2000)}\nAjv errors:\n${list}`;
}

function expectJson(response: CheckedResponse): void {
  const contentType = String(response.headers['content-type'] ?? '');
  expect(contentType, `content-type of a ${response.status} answer`).toMatch(/^application\/json\b/);
  expect(response.body, `a ${response.status} answer must have a JSON body`).not.toBeUndefined();
}

/**
 * Asserts that `response.status` is documented for the operation, and that its JSON body
 * validates against the schema the spec gives that status.
 */
export function expectMatchesSpec(response: CheckedResponse, operation: OperationKey): void {
  const op = validators().operations.get(key(operation));
  if (!op) throw new Error(`${key(operation)} is not an operation of either spec`);
  const documented = op.statuses.get(response.status);
  expect(
    documented,
    `${op.operationId} answered ${response.status}, which the spec does not document (documented: ${[...op.statuses.keys()].join(', ')}); body ${response.text.slice(0, 500)}`,
  ).toBeDefined();
  if (!documented?.validate) return;
  expectJson(response);
  const valid = documented.validate(response.body);
  expect(
    valid,
    `${op.operationId} ${response.status} does not match its schema in ${op.document}:\n${describeFailure(response, documented.validate.errors)}`,
  ).toBe(true);
}

/**
 * For answers that belong to no operation (unknown route, wrong method, sandbox switched
 * off): the body must still be the spec's `errors` envelope.
 */
export function expectErrorEnvelope(response: CheckedResponse): void {
  expectJson(response);
  const { errorEnvelope } = validators();
  const valid = errorEnvelope(response.body);
  expect(valid, `not the spec's ErrorResponse:\n${describeFailure(response, errorEnvelope.errors)}`).toBe(true);
}
