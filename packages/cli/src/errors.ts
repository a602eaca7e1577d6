import { WhatsAppApiError } from '@wa-contacts/client';
import { CliError, EXIT } from './exit-codes.js';

/** Plain words and an exit code for what stopped a run. Never includes the password. */
export function explain(error: unknown, url: string, during: 'login' | 'check'): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof WhatsAppApiError) {
    if (during === 'login' && error.code === 1024)
      return new CliError(
        'this is the first login of this account: give the new password with --new-password',
        EXIT.authentication,
      );
    if (error.status === 401)
      return new CliError(`the server refused the username or password (${error.message})`, EXIT.authentication);
    return new CliError(`the server refused the ${during}: HTTP ${error.status}, ${error.message}`, EXIT.failed);
  }
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || (e instanceof TypeError && e.message === 'fetch failed'))
    return new CliError(`cannot reach ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, EXIT.unreachable);
  return new CliError(`unexpected error: ${e?.stack ?? String(error)}`, EXIT.failed);
}
