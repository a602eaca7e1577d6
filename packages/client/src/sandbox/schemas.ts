// Short names for what the sandbox helpers take and return, straight from spec/sandbox.yaml.
import type { components, operations } from '@wa-contacts/types/sandbox';

type Schemas = components['schemas'];

/** A number on the simulated WhatsApp network and its current identity. */
export type SandboxAccount = Schemas['AccountResponse']['account'];
/** A report the business sent to WhatsApp, with the messages it carried. */
export type SandboxReport = Schemas['ReportsResponse']['reports'][number];
export type ReportedMessage = SandboxReport['messages'][number];
/** The body of POST /sandbox/inbound: a user writes `text` to the business. */
export type InboundMessage = operations['receiveMessage']['requestBody']['content']['application/json'];
/** GET /sandbox/misuse without its `meta`: the counts of the window and the state of the misuse rule. */
export type MisuseStatus = Omit<Schemas['MisuseResponse'], 'meta'>;
/** GET /sandbox/snapshot's snapshot, PUT /sandbox/snapshot's body, a `--seed` file. */
export type SandboxSnapshot = Schemas['Snapshot'];
