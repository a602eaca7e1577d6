export {
  bundled,
  callbacks,
  DOCUMENT_NAMES,
  dereferenced,
  dereferenceDocument,
  documentId,
  pointerOf,
  type DocumentName,
} from './documents.js';
export { createAjv, describeErrors, refTo, validatorAt, validatorOf, type AjvMode } from './ajv.js';
export {
  documentedStatuses,
  findOperation,
  operationById,
  operations,
  plain,
  requestSchema,
  responseOf,
  type ContractOperation,
} from './operations.js';
export { LEAK_PATTERNS, leakProblems } from './leaks.js';
export {
  checkCallback,
  checkResponse,
  checkUnrouted,
  envelopeProblems,
  readBody,
  type CheckOptions,
  type ResponseHeaders,
} from './oracle.js';
export type { OpenAPIV3 } from 'openapi-types';
