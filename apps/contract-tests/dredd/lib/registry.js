'use strict';
// What the hooks and run.mjs share. Dredd loads the hook files in run.mjs's own process
// (proxyquire, module cache preserved), so both see this one object.

const registry = {
  /** Set by hooks.js when Dredd loaded it: Dredd only warns when a hook file fails to load. */
  hooksLoaded: false,
  /** Filled by run.mjs before Dredd starts; read by the hooks. */
  options: {
    /** Base URL of the server under test. */
    target: '',
    username: 'admin',
    /** Candidate passwords, tried in order (the first that logs in wins). */
    passwords: [],
    /** The password to set when the target answers 1024 (factory account, first login). */
    newPassword: '',
    /** A ready bearer token; skips the login of beforeAll. */
    token: '',
    /** A server whose admin still has to change its password, to provoke 1024; or ''. */
    firstLoginTarget: '',
    firstLoginPassword: 'secret',
  },
  /** Every transaction name Dredd compiled, in order (beforeAll). */
  transactionNames: [],
  /** Each transaction's operationId and status (beforeAll), for the coverage check. */
  transactionOps: [],
  /** name → why it was skipped. */
  skippedReasons: {},
  /** name → extra failure messages from the hooks (wrong error code, a variant, set-up). */
  hookFailures: {},
  /** name → the documented variants the hooks provoked for that transaction. */
  variants: {},
  /** Failures outside any transaction (e.g. a factory first login that breaks the spec). */
  extraFailures: [],
  /** Free-form facts worth reporting (e.g. how the login went). */
  notes: [],
  /** Set when beforeAll could not log in: every transaction then fails with it. */
  fatal: '',
};

function skip(transaction, reason) {
  transaction.skip = true;
  registry.skippedReasons[transaction.name] = reason;
}

function fail(transaction, message) {
  registry.hookFailures[transaction.name] ??= [];
  registry.hookFailures[transaction.name].push(message);
  transaction.fail = transaction.fail ? `${transaction.fail}; ${message}` : message;
}

module.exports = { registry, skip, fail };
