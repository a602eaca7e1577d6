/** One reason a body is not a callback: where (a JSON pointer into the body) and what. */
export interface WebhookIssue {
  path: string;
  message: string;
}

/** The body is not a callback of the spec's WebhookCallback schema (or not JSON at all). */
export class WebhookValidationError extends Error {
  override readonly name = 'WebhookValidationError';
  readonly issues: readonly WebhookIssue[];

  constructor(issues: readonly WebhookIssue[]) {
    super(`Not a webhook callback: ${issues.map((i) => `${i.path || '(body)'} ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}
