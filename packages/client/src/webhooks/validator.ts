import type { WebhookIssue } from './errors.js';
import { validateWebhookCallback } from '../generated/validate-callback.js';
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

const validator = validateWebhookCallback as StandaloneValidator;

/** The issues of a body against the spec's WebhookCallback schema; none means it is one. */
export function callbackIssues(body: unknown): WebhookIssue[] {
  if (validator(body)) return [];
  return (validator.errors ?? []).map((e) => ({ path: e.instancePath, message: describe(e) }));
}

export function isWebhookCallback(body: unknown): body is WebhookCallback {
  return validator(body);
}

function describe(error: AjvError): string {
  const allowed = error.params.allowedValues;
  const message = error.message ?? 'is not valid';
  return Array.isArray(allowed) ? `${message}: ${allowed.join(', ')}` : message;
}
