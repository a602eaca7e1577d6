// @wa-contacts/client/sandbox: the reference server's simulated WhatsApp network, for tests.
export { createSandboxClient } from './sandbox/client.js';
export type {
  RegisterAccountOptions,
  SandboxClient,
  SandboxClientOptions,
  SharedSandboxOptions,
  StandaloneSandboxOptions,
} from './sandbox/client.js';
export type {
  InboundMessage,
  MisuseStatus,
  ReportedMessage,
  SandboxAccount,
  SandboxReport,
  SandboxSnapshot,
} from './sandbox/schemas.js';
export { WhatsAppApiError } from './errors.js';
export type { Credentials } from './auth/session.js';
export type { ApiErrorCode, ApiErrorEntry, SendErrorCode } from './schemas.js';
export type { paths, components, operations } from '@wa-contacts/types/sandbox';
