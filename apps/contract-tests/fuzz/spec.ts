import { operationRoutes, sandboxRoutes } from '@wa-contacts/server';
import {
  bundled,
  operations,
  plain,
  pointerOf,
  type ContractOperation,
  type DocumentName,
  type OpenAPIV3,
} from '@wa-contacts/test-kit/contract';

/**
 * The operations of both specs as the fuzzer reads them: parameters, request body and
 * documented responses, each schema a plain object of test-kit's dereferenced documents
 * (validated by identity with `validatorOf`), with a JSON pointer naming where it stands.
 */

export type JsonSchema = OpenAPIV3.SchemaObject;
export type { DocumentName };

export const DOCUMENTS: Readonly<Record<DocumentName, OpenAPIV3.Document>> = bundled;

export interface Located<T> {
  value: T;
  /** JSON pointer into the document, e.g. '#/paths/~1v1~1contacts/post/requestBody'. */
  pointer: string;
}

/** An OpenAPI parameter with its schema located and `required` settled (path parameters are). */
export interface ParameterSpec extends Omit<OpenAPIV3.ParameterObject, 'in' | 'required' | 'schema'> {
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Located<JsonSchema>;
}

/** An OpenAPI request body with each media type's schema located, and the first example. */
export interface RequestBodySpec extends Omit<OpenAPIV3.RequestBodyObject, 'content' | 'required'> {
  required: boolean;
  /** The media types the operation accepts, with their schema. */
  content: Record<string, Located<JsonSchema>>;
  example?: unknown;
}

export interface ResponseSpec {
  status: number;
  /** The application/json schema, or undefined when the status is documented without one. */
  schema?: Located<JsonSchema>;
}

/** test-kit's operation, with the parts the generators read located and flattened. */
export interface OperationSpec extends Omit<ContractOperation, 'parameters'> {
  /** The first security scheme of the operation (or the document's default), if any. */
  security: string | undefined;
  parameters: ParameterSpec[];
  requestBody: RequestBodySpec | undefined;
  responses: Map<number, ResponseSpec>;
}

export { pointerOf };

function toSpec(op: ContractOperation): OperationSpec {
  const parameters = op.parameters.map(
    (p, i): ParameterSpec => ({
      ...p,
      in: p.in as ParameterSpec['in'],
      required: p.required ?? p.in === 'path',
      schema: { value: plain(p.schema ?? {}) as JsonSchema, pointer: `${op.pointer}/parameters/${i}/schema` },
    }),
  );

  let requestBody: RequestBodySpec | undefined;
  if (op.operation.requestBody) {
    const rb = plain(op.operation.requestBody);
    const content: Record<string, Located<JsonSchema>> = {};
    let example: unknown;
    for (const [mediaType, media] of Object.entries(rb.content)) {
      content[mediaType] = {
        value: plain(media.schema ?? {}) as JsonSchema,
        pointer: `${op.pointer}/requestBody/content/${pointerOf(mediaType).slice(2)}/schema`,
      };
      example ??= media.example;
    }
    requestBody = { ...rb, required: rb.required === true, content, example };
  }

  const responses = new Map<number, ResponseSpec>();
  for (const [status, raw] of Object.entries(op.operation.responses)) {
    const schema = plain(raw).content?.['application/json']?.schema;
    responses.set(Number(status), {
      status: Number(status),
      schema: schema
        ? {
            value: plain(schema) as JsonSchema,
            pointer: `${op.pointer}/responses/${status}/content/application~1json/schema`,
          }
        : undefined,
    });
  }

  const security = (op.operation.security ?? DOCUMENTS[op.document].security ?? []).flatMap((requirement) =>
    Object.keys(requirement),
  )[0];
  return {
    ...op,
    security,
    parameters,
    requestBody,
    responses,
  };
}

/** Every operation of both specs, sandbox included, in a stable order. */
export const OPERATIONS: readonly OperationSpec[] = operations.map(toSpec);

/**
 * The generated server stubs list the same operations, methods, paths, security and statuses:
 * a cross-check that this reading of the documents is the one the server is built from.
 */
export function checkAgainstServerRoutes(): string[] {
  const routes: Record<
    string,
    { method: string; path: string; security: readonly string[]; statuses: readonly number[] }
  > = {
    ...operationRoutes,
    ...sandboxRoutes,
  };
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const op of OPERATIONS) {
    seen.add(op.operationId);
    const route = routes[op.operationId];
    if (!route) {
      problems.push(`${op.operationId}: not in operationRoutes/sandboxRoutes`);
      continue;
    }
    if (route.method !== op.method || route.path !== op.path)
      problems.push(`${op.operationId}: ${route.method} ${route.path} vs ${op.method} ${op.path}`);
    if ((route.security[0] ?? undefined) !== op.security)
      problems.push(`${op.operationId}: security ${route.security[0]} vs ${op.security}`);
    const statuses = [...op.responses.keys()].sort((a, b) => a - b).join(',');
    if ([...route.statuses].sort((a, b) => a - b).join(',') !== statuses)
      problems.push(`${op.operationId}: statuses ${route.statuses} vs ${statuses}`);
  }
  for (const id of Object.keys(routes)) if (!seen.has(id)) problems.push(`${id}: in the routes, not in the documents`);
  return problems;
}

/**
 * Every string in the examples of the requests' side of both documents (schema `example`s,
 * parameter examples, request-body `example`/`examples`; not the responses'): the values the
 * spec's authors meant as realistic, e.g. real wa_ids, phone numbers, identity hashes, a
 * message id. Generators mix in the ones that fit a schema, so valid requests reach real
 * state (engaged contacts, registered hashes) instead of only random strings. Both documents
 * describe the same network, so their examples are pooled.
 */
export function exampleStrings(): string[] {
  const found = new Set<string>();
  const collect = (value: unknown) => {
    if (typeof value === 'string') found.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'responses') continue;
      if (key === 'example') collect(value);
      else if (key === 'examples' && value && typeof value === 'object') {
        for (const ex of Object.values(value)) collect((ex as { value?: unknown }).value ?? ex);
      } else walk(value);
    }
  };
  Object.values(DOCUMENTS).forEach(walk);
  return [...found].sort();
}
