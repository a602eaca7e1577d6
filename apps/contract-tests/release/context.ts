// What every step of the release gets from the runner: where things are, how to log and time,
// and how to fail. Nothing else is shared; a step's results go back to the runner as its return value.

export const PUBLISHED = [
  '@wa-contacts/spec',
  '@wa-contacts/types',
  '@wa-contacts/server',
  '@wa-contacts/client',
  '@wa-contacts/cli',
  '@wa-contacts/reference-server',
];
export const PACKAGE_DIRS: Record<string, string> = {
  '@wa-contacts/spec': 'spec',
  '@wa-contacts/types': 'packages/types',
  '@wa-contacts/server': 'packages/server',
  '@wa-contacts/client': 'packages/client',
  '@wa-contacts/cli': 'packages/cli',
  '@wa-contacts/reference-server': 'apps/reference-server',
};

export interface Options {
  /** Steps up to the gate only. */
  gateOnly: boolean;
  skipGate: boolean;
  /** `pnpm release` with every check (no RELEASE_SKIP_CHECKS). */
  full: boolean;
  /** Leave the temp dir for a look. */
  keep: boolean;
}

export interface Context {
  options: Options;
  /** The workspace the release is run from; never written to. */
  root: string;
  /** The temp dir: the copy, Verdaccio's storage, the consumer. */
  tmp: string;
  /** The copy of the workspace that is released. */
  work: string;
  /** The pinned pnpm: `node <pnpmPath> ...`; a `pnpm` that runs it is in `shimDir`. */
  pnpmPath: string;
  shimDir: string;
  log(message: string): void;
  /** Records how long `what` took since `since`. */
  timed(what: string, since: number): void;
}

/** A release check that did not hold: its message is the whole story (no stack). */
export class Failure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

/** A package.json of the copy, as far as the release reads it. */
export interface LocalPackage {
  version: string;
  files?: string[];
}
