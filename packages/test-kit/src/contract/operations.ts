import type { OpenAPIV3 } from 'openapi-types';
import { DOCUMENT_NAMES, dereferenced, pointerOf, type DocumentName } from './documents.js';

/** Every operation of both documents, read from their dereferenced form (no `$ref` left). */

export interface ContractOperation {
  operationId: string;
  document: DocumentName;
  /** Upper case: 'POST'. */
  method: string;
  /** The templated path: '/v1/contacts/{wa_id}/identity'. */
  path: string;
  /** Where the operation stands in its bundled document. */
  pointer: string;
  operation: OpenAPIV3.OperationObject;
  /** The path item's parameters and the operation's, the operation's winning. */
  parameters: OpenAPIV3.ParameterObject[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What a dereferenced document holds where openapi-types allows a Reference Object. */
export function plain<T extends object>(value: T | OpenAPIV3.ReferenceObject): T {
  if ('$ref' in value) throw new Error(`a $ref left in a dereferenced document: ${value.$ref}`);
  return value;
}

function readOperations(document: DocumentName): ContractOperation[] {
  const found: ContractOperation[] = [];
  for (const [path, item] of Object.entries(dereferenced[document].paths)) {
    if (!item) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      const parameters = new Map<string, OpenAPIV3.ParameterObject>();
      for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(plain))
        parameters.set(`${p.in}:${p.name}`, p);
      found.push({
        operationId: operation.operationId,
        document,
        method: method.toUpperCase(),
        path,
        pointer: pointerOf('paths', path, method),
        operation,
        parameters: [...parameters.values()],
      });
    }
  }
  return found;
}

export const operations: readonly ContractOperation[] = DOCUMENT_NAMES.flatMap(readOperations);

const byId = new Map(operations.map((op) => [op.operationId, op]));

/** The operation with this operationId (in `document`, when given); throws when there is none. */
export function operationById(operationId: string, document?: DocumentName): ContractOperation {
  const op = byId.get(operationId);
  if (!op || (document !== undefined && op.document !== document))
    throw new Error(`no operation ${operationId} in ${document ?? 'either document'}`);
  return op;
}

const segmentsMatch = (template: string, path: string) => {
  const want = template.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((w, i) => w === got[i] || (/^\{[^}]+\}$/.test(w) && got[i] !== ''));
};

/**
 * The operation answering `method` on `path`: a templated path ('/v1/contacts/{wa_id}/identity')
 * or a concrete one ('/v1/contacts/16315550001/identity?x=1'); undefined when none does.
 * A literal path wins over a template (`/v1/contacts/blocklist` over `/v1/contacts/{x}`).
 */
export function findOperation(method: string, path: string): ContractOperation | undefined {
  const bare = path.split('?')[0]!;
  const candidates = operations.filter((op) => op.method === method.toUpperCase());
  return candidates.find((op) => op.path === bare) ?? candidates.find((op) => segmentsMatch(op.path, bare));
}

/** The documented response for `status`: its own, else `default`; undefined when neither. */
export function responseOf(op: ContractOperation, status: number): OpenAPIV3.ResponseObject | undefined {
  const response = op.operation.responses[String(status)] ?? op.operation.responses.default;
  return response ? plain(response) : undefined;
}

/** The statuses the operation documents, as written ('200', ..., 'default'). */
export const documentedStatuses = (op: ContractOperation) => Object.keys(op.operation.responses);

/** The request body's schema for a media type (application/json by default); undefined when it takes none. */
export function requestSchema(
  op: ContractOperation,
  mediaType = 'application/json',
): OpenAPIV3.SchemaObject | undefined {
  const body = op.operation.requestBody && plain(op.operation.requestBody);
  const schema = body?.content[mediaType]?.schema;
  return schema ? plain(schema) : undefined;
}
