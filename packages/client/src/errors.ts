import type { ApiErrorCode, ApiErrorEntry, Meta } from './schemas.js';

function isErrorEnvelope(body: unknown): body is { meta?: Meta; errors: [ApiErrorEntry, ...ApiErrorEntry[]] } {
  if (typeof body !== 'object' || body === null) return false;
  const { errors } = body as { errors?: unknown };
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return typeof first === 'object' && first !== null && typeof (first as ApiErrorEntry).code === 'number';
}

/**
 * A request the server refused. The fields come from the first entry of the `errors`
 * envelope; `errors` keeps them all. When the body is not an envelope (a proxy's HTML page,
 * an empty body), `code`, `title` and `details` are undefined and `body` holds what came.
 */
export class WhatsAppApiError extends Error {
  override readonly name = 'WhatsAppApiError';
  readonly status: number;
  /** The node's codes, or 1013 (User is not valid) from the sandbox's sendMessage. */
  readonly code: ApiErrorCode | undefined;
  readonly title: string | undefined;
  readonly details: string | undefined;
  readonly href: string | undefined;
  readonly errors: ApiErrorEntry[];
  readonly meta: Meta | undefined;
  readonly body: unknown;
  readonly response: Response;

  constructor(response: Response, body: unknown, message?: string) {
    const envelope = isErrorEnvelope(body) ? body : undefined;
    const first = envelope?.errors[0];
    super(
      message ??
        (first
          ? `${first.title} (${first.code}): ${first.details}`
          : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}: the body is not a WhatsApp errors envelope`),
    );
    this.status = response.status;
    this.code = first?.code;
    this.title = first?.title;
    this.details = first?.details;
    this.href = first?.href;
    this.errors = envelope?.errors ?? [];
    this.meta = envelope?.meta;
    this.body = body;
    this.response = response;
  }
}
