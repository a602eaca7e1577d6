import { expect } from 'vitest';
import { ERROR_TITLES, type WhatsAppErrorCode } from '../../src/errors.js';
import type { CheckedResponse } from './spec-validator.js';

/** The titles of the error codes: the server's one table, which test/errors.test.ts checks against the spec's. */
export const TITLES = ERROR_TITLES;

export type ErrorCode = WhatsAppErrorCode;

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
