import { WebhookValidationError } from './errors.js';
import { eventsOf, type WebhookEvent } from './events.js';
import type { WebhookCallback } from './schemas.js';
import { callbackIssues } from './validator.js';

export interface ParseWebhookOptions {
  /** Check the body against the spec's WebhookCallback schema first (default true). */
  validate?: boolean;
}

/**
 * The events of one callback body: the parsed JSON, or its text. Throws WebhookValidationError
 * for a body that is not a callback; with `validate: false` only the top-level key is checked.
 */
export function parseWebhook(body: unknown, options: ParseWebhookOptions = {}): WebhookEvent[] {
  const value = typeof body === 'string' ? parseJson(body) : body;
  if (options.validate ?? true) {
    const issues = callbackIssues(value);
    if (issues.length > 0) throw new WebhookValidationError(issues);
  } else if (!hasOneArray(value)) {
    throw new WebhookValidationError([{ path: '', message: 'must have exactly one of messages, statuses, errors' }]);
  }
  return eventsOf(value as WebhookCallback);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookValidationError([{ path: '', message: 'is not JSON' }]);
  }
}

function hasOneArray(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['messages', 'statuses', 'errors'].filter((key) => Array.isArray(record[key])).length === 1;
}
