// Which operation of the bundled contacts spec a Dredd transaction belongs to.
import type { Transaction } from 'hooks';
import { contract } from './contract.cjs';

export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  path: string;
  method: string;
  status: number;
  operationId: string;
  security: SecurityRequirement[];
}

/** Dredd names a transaction `path > summary > status > type`; its method and status say the rest. */
export function operationOf(transaction: Transaction): Operation {
  const spec = contract().bundled.contacts;
  const path = transaction.origin.resourceName;
  const method = transaction.request.method.toLowerCase() as 'get';
  const operation = spec.paths[path]?.[method];
  if (!operation?.operationId) throw new Error(`no operation ${method.toUpperCase()} ${path} in the bundled spec`);
  return {
    path,
    method: method.toUpperCase(),
    status: Number(transaction.expected.statusCode),
    operationId: operation.operationId,
    security: operation.security ?? spec.security ?? [],
  };
}
