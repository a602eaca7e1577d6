import type { components } from '@wa-contacts/types';

/** The codes of the contacts node, plus 1013 which the sandbox's simulated send uses. */
export type WhatsAppErrorCode = components['schemas']['ErrorCode'] | 1013;

export const ERROR_TITLES: Record<WhatsAppErrorCode, string> = {
  1005: 'Access denied',
  1006: 'Resource not found',
  1008: 'Required parameter is missing',
  1009: 'Parameter value is not valid',
  1013: 'User is not valid',
  1014: 'Internal error',
  1015: 'Too many requests',
  1024: 'Password Change Required',
  1028: 'A user_identity_changed system notification requires acknowledgement',
  1031: 'Account has been locked',
  2048: 'Not engaged contact',
};

/** A refusal the API documents: thrown anywhere, answered in the `errors` envelope. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: WhatsAppErrorCode,
    readonly details: string,
    /** Headers the answer carries besides the envelope (Retry-After, WWW-Authenticate). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(details);
    this.name = 'ApiError';
  }

  get title(): string {
    return ERROR_TITLES[this.code];
  }
}

/** 401 / 1005 with the `WWW-Authenticate` challenge of the scheme the route takes (RFC 9110). */
export const accessDenied = (details: string, scheme: 'Bearer' | 'Basic' = 'Bearer') =>
  new ApiError(401, 1005, details, { 'www-authenticate': `${scheme} realm="WhatsApp"` });
export const notFound = (details: string) => new ApiError(404, 1006, details);
export const missingParameter = (details: string) => new ApiError(400, 1008, details);
export const invalidParameter = (details: string) => new ApiError(400, 1009, details);
export const invalidPhoneNumber = () =>
  invalidParameter(
    'Provided WhatsApp ID is not valid. Please provide a valid WhatsApp ID or a phone number with a country code',
  );
/** What a client sees of any failure of the server itself: never its cause. */
export const internalError = () => new ApiError(500, 1014, 'Internal error. Please try again later.');
/** 429 / 1015 with `Retry-After` in whole seconds (at least 1), as the spec's TooManyRequests says. */
export const tooManyRequests = (details: string, retryAfterMs: number) =>
  new ApiError(429, 1015, details, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
export const notEngaged = () =>
  new ApiError(400, 2048, "Invalid Request. This contact hasn't engaged with you in the last 24 hrs.");

/** PostgreSQL text cannot hold U+0000: a value with it is refused (1009) instead of failing its insert (500). */
export function assertNoNul(name: string, value: string | undefined): void {
  if (value?.includes('\u0000')) throw invalidParameter(`${name} must not contain the character U+0000.`);
}

/** assertNoNul for every string in a JSON value, named by its path (`webhooks.url`, `blocks[3].reason`). */
export function assertNoNulIn(name: string, value: unknown): void {
  if (typeof value === 'string') assertNoNul(name, value);
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) assertNoNulIn(`${name}[${i}]`, item);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) assertNoNulIn(name ? `${name}.${key}` : key, item);
}
