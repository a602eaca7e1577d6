import { expect } from 'vitest';
import type { CheckedResponse } from './spec-validator.js';

/** The titles of the error codes, from the reference document's table (not from src). */
export const TITLES = {
  1005: 'Access denied',
  1006: 'Resource not found',
  1008: 'Required parameter is missing',
  1009: 'Parameter value is not valid',
  1013: 'User is not valid',
  1014: 'Internal error',
  1015: 'Too many requests',
  1024: 'Password Change Required',
  1028: 'A user_identity_changed system notification requires acknowledgement',
  2048: 'Not engaged contact',
} as const;

export type ErrorCode = keyof typeof TITLES;

/** Meta's published details texts. */
export const META_DETAILS = {
  invalidPhoneNumber:
    'Provided WhatsApp ID is not valid. Please provide a valid WhatsApp ID or a phone number with a country code',
  notEngaged: "Invalid Request. This contact hasn't engaged with you in the last 24 hrs.",
} as const;

/** Asserts one error with this HTTP status, code and the code's title (and details, when given). */
export function expectError(res: CheckedResponse, status: number, code: ErrorCode, details?: string | RegExp): void {
  expect({ status: res.status, code: errorsOf(res)[0]?.code, title: errorsOf(res)[0]?.title }, res.text).toEqual({
    status,
    code,
    title: TITLES[code],
  });
  expect(errorsOf(res)).toHaveLength(1);
  if (typeof details === 'string') expect(errorsOf(res)[0]!.details).toBe(details);
  else if (details) expect(errorsOf(res)[0]!.details).toMatch(details);
}

export function errorsOf(res: CheckedResponse): Array<{ code: number; title: string; details: string }> {
  return ((res.body as { errors?: unknown[] } | undefined)?.errors ?? []) as Array<{
    code: number;
    title: string;
    details: string;
  }>;
}
