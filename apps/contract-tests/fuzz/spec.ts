import { createRequire } from 'node:module';
import { operationRoutes, sandboxRoutes } from '@wa-contacts/server';

/**
 * The two bundled OpenAPI documents, read as data: every operation with its parameters,
 * request body and documented responses, each schema addressed by a JSON pointer into its
 * document so `$ref: '#/components/...'` keeps resolving inside the right spec.
 */

const require = createRequire(import.meta.url);

export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

export type DocumentName = 'contacts' | 'sandbox';

export const DOCUMENTS: Record<DocumentName, OpenApiDocument> = {
  contacts: require('@wa-contacts/spec/contacts.json') as OpenApiDocument,
  sandbox: require('@wa-contacts/spec/sandbox.json') as OpenApiDocument,
};

/** `$id` of each document in the Ajv instances. */
export const documentId = (name: DocumentName) => `${name}.json`;

export interface Located<T> {
  value: T;
  /** JSON pointer into the document, e.g. '#/paths/~1v1~1contacts/post/requestBody'. */
  pointer: string;
}

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Located<JsonSchema>;
  example?: unknown;
}

export interface RequestBodySpec {
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

export interface OperationSpec {
  operationId: string;
  document: DocumentName;
  method: string;
  path: string;
  /** The first security scheme of the operation (or the document's default), if any. */
  security: string | undefined;
  parameters: ParameterSpec[];
  requestBody: RequestBodySpec | undefined;
  responses: Map<number, ResponseSpec>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
export const pointerOf = (...segments: Array<string | number>) =>
  `#/${segments.map((s) => escapeSegment(String(s))).join('/')}`;

/** Follows a local `$ref` (JSON pointer) to what it names. */
export function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

/** An OpenAPI object that may be a `$ref`: the object and where it really lives. */
export function deref<T>(doc: OpenApiDocument, value: T, pointer: string): Located<T> {
  let current: unknown = value;
  let at = pointer;
  const seen = new Set<string>();
  while (current && typeof current === 'object' && typeof (current as { $ref?: unknown }).$ref === 'string') {
    at = (current as { $ref: string }).$ref;
    if (seen.has(at)) throw new Error(`$ref cycle at ${at}`);
    seen.add(at);
    current = resolvePointer(doc, at);
  }
  return { value: current as T, pointer: at };
}

/** A JSON schema with its `$ref`s followed (only the top level). */
export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  return deref(doc, schema, '#').value;
}

function readOperations(name: DocumentName): OperationSpec[] {
  const doc = DOCUMENTS[name];
  const defaultSecurity = (doc as { security?: Array<Record<string, unknown>> }).security;
  const operations: OperationSpec[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const itemPointer = pointerOf('paths', path);
    const item = deref(doc, rawItem, itemPointer).value as Record<string, unknown>;
    const shared = (item.parameters as unknown[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const opPointer = pointerOf('paths', path, method);
      const parameters = new Map<string, ParameterSpec>();
      const addParameters = (list: unknown[], base: string) =>
        list.forEach((raw, i) => {
          const p = deref(doc, raw as Record<string, unknown>, `${base}/parameters/${i}`);
          const param = p.value as {
            name: string;
            in: ParameterSpec['in'];
            required?: boolean;
            schema: JsonSchema;
            example?: unknown;
          };
          parameters.set(`${param.in}:${param.name}`, {
            name: param.name,
            in: param.in,
            required: param.required ?? param.in === 'path',
            schema: { value: param.schema, pointer: `${p.pointer}/schema` },
            example: param.example,
          });
        });
      addParameters(shared, itemPointer);
      addParameters((op.parameters as unknown[] | undefined) ?? [], opPointer);

      let requestBody: RequestBodySpec | undefined;
      if (op.requestBody) {
        const rb = deref(doc, op.requestBody as Record<string, unknown>, `${opPointer}/requestBody`);
        const content: Record<string, Located<JsonSchema>> = {};
        let example: unknown;
        for (const [mediaType, media] of Object.entries(
          (rb.value.content as Record<string, { schema: JsonSchema; example?: unknown }>) ?? {},
        )) {
          content[mediaType] = {
            value: media.schema,
            pointer: `${rb.pointer}/content/${escapeSegment(mediaType)}/schema`,
          };
          example ??= media.example;
        }
        requestBody = { required: rb.value.required === true, content, example };
      }

      const responses = new Map<number, ResponseSpec>();
      for (const [status, raw] of Object.entries((op.responses as Record<string, unknown>) ?? {})) {
        const r = deref(doc, raw as Record<string, unknown>, `${opPointer}/responses/${status}`);
        const json = (r.value.content as Record<string, { schema?: JsonSchema }> | undefined)?.['application/json'];
        responses.set(Number(status), {
          status: Number(status),
          schema: json?.schema
            ? { value: json.schema, pointer: `${r.pointer}/content/application~1json/schema` }
            : undefined,
        });
      }

      const security = ((op.security as Array<Record<string, unknown>> | undefined) ?? defaultSecurity ?? []).flatMap(
        (requirement) => Object.keys(requirement),
      )[0];
      operations.push({
        operationId: op.operationId as string,
        document: name,
        method: method.toUpperCase(),
        path,
        security,
        parameters: [...parameters.values()],
        requestBody,
        responses,
      });
    }
  }
  return operations;
}

/** Every operation of both specs, sandbox included, in a stable order. */
export const OPERATIONS: readonly OperationSpec[] = [...readOperations('contacts'), ...readOperations('sandbox')];

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
