// Turns openapi-fetch's { data, error, response } into the helpers' "return data or throw".
import { WhatsAppApiError } from './errors.js';

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function refused(response: Response, error: unknown): WhatsAppApiError {
  return new WhatsAppApiError(response, error);
}

/** Throws unless the response is a 2xx; the body, if any, is not needed. */
export async function expectOk(call: Promise<FetchResult<unknown>>): Promise<void> {
  const { error, response } = await call;
  // An error answer with an empty body has `error: undefined`, so the status decides.
  if (!response.ok) throw refused(response, error);
}

/** Throws unless the response is a 2xx whose body holds what `pick` takes out of it. */
export async function expectData<T, R>(call: Promise<FetchResult<T>>, pick: (data: T) => R | undefined): Promise<R> {
  const { data, error, response } = await call;
  if (!response.ok) throw refused(response, error);
  const picked = data === undefined || data === null ? undefined : pick(data);
  if (picked === undefined) {
    throw new WhatsAppApiError(response, data, `HTTP ${response.status}: the body lacks what the spec promises`);
  }
  return picked;
}
