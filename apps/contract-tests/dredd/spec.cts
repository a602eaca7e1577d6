// The bundled spec, and which of its operations a Dredd transaction belongs to.
import type { Transaction } from 'hooks';
import type { OpenApiDocument, SecurityRequirement } from './schemas.cjs';

export const spec = require('@wa-contacts/spec/contacts.json') as OpenApiDocument;

export interface Operation {
  path: string;
  method: string;
  status: number;
  operationId: string;
  security: SecurityRequirement[];
}

/** Dredd names a transaction `path > summary > status > type`; its method and status say the rest. */
export function operationOf(transaction: Transaction): Operation {
  const path = transaction.origin.resourceName;
  const method = transaction.request.method.toLowerCase();
  const operation = spec.paths[path]?.[method];
  if (!operation) throw new Error(`no operation ${method.toUpperCase()} ${path} in the bundled spec`);
  return {
    path,
    method: method.toUpperCase(),
    status: Number(transaction.expected.statusCode),
    operationId: operation.operationId,
    security: operation.security ?? spec.security ?? [],
  };
}
