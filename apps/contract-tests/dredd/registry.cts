// What the hooks and run.cts share: Dredd requires the hook file in run.cts's own process (proxyquire
// keeps the module cache), so both see this one object.
import type { Transaction } from 'hooks';

export interface ContractOptions {
  /** Base URL of the server under test. */
  target: string;
  username: string;
  /** Candidate passwords, tried in order (the first that logs in wins). */
  passwords: string[];
  /** The password to set when the target answers 1024 (factory account, first login). */
  newPassword: string;
  /** A ready bearer token; skips the login of beforeAll. */
  token: string;
  /** A server whose admin still has to change its password, to provoke 1024; or ''. */
  firstLoginTarget: string;
  firstLoginPassword: string;
}

export interface VariantOutcome {
  variant: string;
  ok: boolean;
  problems: string[];
}

export const registry = {
  /** Set by hooks.cts when Dredd loaded it: Dredd only warns when a hook file fails to load. */
  hooksLoaded: false,
  /** Filled by run.cts before Dredd starts; read by the hooks. */
  options: {
    target: '',
    username: 'admin',
    passwords: [],
    newPassword: '',
    token: '',
    firstLoginTarget: '',
    firstLoginPassword: 'secret',
  } as ContractOptions,
  /** Every transaction name Dredd compiled, in order (beforeAll). */
  transactionNames: [] as string[],
  /** Each transaction's `operationId status` (beforeAll), for the coverage check. */
  transactionKeys: [] as string[],
  /** name → extra failure messages from the hooks (wrong error code, a variant, set-up). */
  hookFailures: {} as Record<string, string[]>,
  /** name → the documented variants the hooks provoked for that transaction. */
  variants: {} as Record<string, VariantOutcome[]>,
  /** Failures outside any transaction (e.g. a factory first login that breaks the spec). */
  extraFailures: [] as string[],
  /** Free-form facts worth reporting (e.g. how the login went). */
  notes: [] as string[],
  /** Set when beforeAll could not log in: every transaction then fails with it. */
  fatal: '',
};

export function fail(transaction: Transaction, message: string): void {
  registry.hookFailures[transaction.name] = [...(registry.hookFailures[transaction.name] ?? []), message];
  transaction.fail = transaction.fail ? `${transaction.fail}; ${message}` : message;
}
