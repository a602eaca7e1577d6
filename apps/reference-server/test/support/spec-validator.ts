import { checkResponse, checkUnrouted, findOperation, operations } from '@wa-contacts/test-kit/contract';
import { expect } from 'vitest';

/** The suite's view of test-kit's contract oracle: each check is an assertion that it finds no problem. */

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

/** Every operation the specs document (to check the suite's coverage). */
export function documentedOperations(): Array<OperationKey & { operationId: string; statuses: number[] }> {
  return operations.map((op) => ({
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    statuses: Object.keys(op.operation.responses).map(Number),
  }));
}

/** Asserts that the response is one the spec documents for the operation, in every respect the oracle checks. */
export function expectMatchesSpec(response: CheckedResponse, operation: OperationKey): void {
  const op = findOperation(operation.method, operation.path);
  if (!op) throw new Error(`${operation.method} ${operation.path} is not an operation of either spec`);
  const problems = checkResponse(op.operationId, response.status, response.headers, response.text);
  expect(problems, `${op.operationId} answered ${response.status}: ${response.text.slice(0, 500)}`).toEqual([]);
}

/** For answers that belong to no operation (unknown route, wrong method, sandbox switched off): the `errors` envelope. */
export function expectErrorEnvelope(response: CheckedResponse): void {
  const problems = checkUnrouted(response.status, response.headers, response.text);
  expect(problems, `an answer outside every operation: ${response.text.slice(0, 500)}`).toEqual([]);
}
