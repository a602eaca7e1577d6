/** The CLI's exit codes, as documented in README.md and --help. */
export const EXIT = {
  done: 0,
  /** Something unexpected: a bug or a server error the CLI cannot explain. */
  failed: 1,
  /** Bad arguments, an unreadable input, or a bad row without --rejects. */
  badInput: 2,
  /** The server refused the username or password. */
  authentication: 3,
  /** No answer from the server (refused connection, DNS, timeouts after retries). */
  unreachable: 4,
  /** Stopped by Ctrl-C (128 + SIGINT); --resume continues. */
  interrupted: 130,
} as const;

/** An error whose message is for the user, with the exit code it ends the run with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
