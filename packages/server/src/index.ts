export type { OperationRequest, OperationResponse, SuccessResponse } from './operation.js';
export * from './generated/handlers.js';
export * from './generated/sandbox-handlers.js';
