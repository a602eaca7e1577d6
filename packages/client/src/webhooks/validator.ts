import type { WebhookIssue } from './errors.js';
import {
  validateErrorsCallback,
  validateMessagesCallback,
  validateStatusesCallback,
} from '../generated/validate-callback.js';
import type { WebhookCallback } from './schemas.js';

interface AjvError {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}
interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

// The spec's WebhookCallback is a oneOf of these three; the body's one array picks the branch,
// so the issues speak of that branch only (Ajv's oneOf would list every branch's failures).
const BRANCHES = {
  messages: validateMessagesCallback as StandaloneValidator,
  statuses: validateStatusesCallback as StandaloneValidator,
  errors: validateErrorsCallback as StandaloneValidator,
};
const KEYS = Object.keys(BRANCHES) as (keyof typeof BRANCHES)[];

/** The issues of a body against the spec's WebhookCallback schema; none means it is one. */
export function callbackIssues(body: unknown): WebhookIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [{ path: '', message: 'must be object' }];
  const present = KEYS.filter((key) => key in body);
  if (present.length !== 1) return [{ path: '', message: 'must have exactly one of messages, statuses, errors' }];
  const validate = BRANCHES[present[0]!];
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: describe(e) }));
}

export function isWebhookCallback(body: unknown): body is WebhookCallback {
  return callbackIssues(body).length === 0;
}

function describe(error: AjvError): string {
  const allowed = error.params.allowedValues;
  const message = error.message ?? 'is not valid';
  return Array.isArray(allowed) ? `${message}: ${allowed.join(', ')}` : message;
}
