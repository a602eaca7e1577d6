// Dredd's hooks (Dredd requires this file, compiled, inside run.cts's process):
// beforeAll   logs in (HTTP Basic → token; answers a factory account's 1024 with a new password)
// beforeEach  auth (Basic on login, Bearer elsewhere) and the body schema Gavel checks with
// before      every rate-limit bucket refilled; the transaction's plan (plans/) sets the state up
//             and rewrites the request
// after       the WhatsApp error code, the plan's other documented variants, the restore
import hooks = require('hooks');
import { loadContract } from './contract.cjs';
import { fail, registry } from './registry.cjs';
import { plans } from './plans/index.cjs';
import type { State } from './plans/plan.cjs';
import { Rewrite, setHeader } from './rewrite.cjs';
import { type Operation, operationOf } from './spec.cjs';
import { Session } from './target.cjs';
import { acceptCharset, bodySchema, errorCodeOf, validateResponse } from './validate.cjs';

registry.hooksLoaded = true;
let session: Session;

/** A hook as an async function: its error fails the transaction (or, in beforeAll, the run). */
const done =
  <T,>(fn: (data: T) => Promise<void>) =>
  (data: T, callback: () => void) => {
    fn(data)
      .catch((error: Error & { cause?: { code?: string; message?: string } }) => {
        // fetch() says only "fetch failed"; the cause says why (ECONNREFUSED...).
        const message = `${error.message}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ''}`;
        if (Array.isArray(data)) registry.fatal ||= message;
        else fail(data as hooks.Transaction, `hook error: ${message}`);
      })
      .finally(callback);
  };

hooks.beforeAll(
  done(async (transactions) => {
    await loadContract();
    registry.transactionNames = transactions.map((t) => t.name);
    registry.transactionKeys = transactions.map((t) => {
      const { operationId, status } = operationOf(t);
      return `${operationId} ${status}`;
    });
    const { options } = registry;
    const baseUrl = options.target || hooks.configuration.endpoint;
    const [password = '', ...others] = options.passwords;
    session = new Session(baseUrl, { username: options.username, password });
    if (options.token) {
      session.token = options.token;
      await session.settings(); // fails early, with the answer, when the token does not work
      registry.notes.push('logged in with CONTRACT_TOKEN');
      return;
    }
    const login = await session.logIn({ passwords: others, newPassword: options.newPassword }).catch((error: Error) => {
      throw new Error(`${error.message} at ${baseUrl}; set CONTRACT_USERNAME / CONTRACT_PASSWORD or CONTRACT_TOKEN`);
    });
    if (!login.firstLogin) return;
    // A factory account: its 1024 is a documented response too; check it like Dredd would.
    const { status, headers, text: body } = login.firstLogin;
    const expected = { operationId: 'login', status: 400, code: 1024 };
    const problems = validateResponse(expected, { status, headers, body });
    if (problems.length > 0) registry.extraFailures.push(`first login (1024) does not conform: ${problems.join('; ')}`);
    registry.notes.push(
      'factory account: the first login answered 1024 (checked against the spec), the password was set to CONTRACT_NEW_PASSWORD',
    );
  }),
);

hooks.beforeEach(
  done(async (transaction) => {
    const op = operationOf(transaction);
    // Dredd itself never validates OpenAPI 3 bodies: this is what makes it.
    const schema = bodySchema(op);
    if (schema) transaction.expected.bodySchema = schema;
    if (registry.fatal) return fail(transaction, `not run: beforeAll failed: ${registry.fatal}`);
    const usesBasic = op.security.some((requirement) => 'basicAuth' in requirement);
    setHeader(transaction.request.headers, 'Authorization', usesBasic ? session.basic : session.bearer);
  }),
);

hooks.beforeEachValidation(acceptCharset);

/** name → what a transaction's before hook set up, for its after hook. */
const running = new Map<string, { op: Operation; rewrite: Rewrite; state: State }>();

for (const name of Object.keys(hooks.transactions)) {
  hooks.before(
    name,
    done(async (transaction) => {
      if (transaction.skip || transaction.fail) return;
      const op = operationOf(transaction);
      const plan = plans[`${op.operationId} ${op.status}`];
      if (!plan) return fail(transaction, `no plan in dredd/plans provokes ${op.operationId} ${op.status}: add one`);
      const entry = { op, rewrite: new Rewrite(transaction, session, plan.code), state: {} };
      running.set(name, entry);
      await session.refillRateLimits();
      entry.state = (await plan.before?.(entry.rewrite, session)) ?? {};
    }),
  );

  hooks.after(
    name,
    done(async (transaction) => {
      const entry = running.get(name);
      running.delete(name);
      if (!entry) return;
      const { op, rewrite: t, state } = entry;
      const plan = plans[`${op.operationId} ${op.status}`]!;
      try {
        if (!transaction.real) return; // the request itself failed: Dredd reports it
        const code = errorCodeOf(transaction.real.body);
        if (t.code !== undefined && Number(transaction.real.statusCode) === op.status && code !== t.code)
          fail(transaction, `provoked the wrong error: expected code ${t.code}, got ${code}`);
        for (const problem of plan.checkReal?.(transaction.real) ?? []) fail(transaction, problem);
        for (const variant of plan.variants ?? []) {
          if (variant.when && !variant.when(state)) continue;
          const res = await variant.send(session, state, t);
          const answer = { status: res.status, headers: res.headers, body: res.text };
          const problems = validateResponse({ ...op, code: variant.code ?? t.code }, answer);
          const outcome = { variant: variant.name, ok: problems.length === 0, problems };
          registry.variants[name] = [...(registry.variants[name] ?? []), outcome];
          if (problems.length > 0) fail(transaction, `variant "${variant.name}": ${problems.join('; ')}`);
        }
      } finally {
        await plan.after?.(session, state);
      }
    }),
  );
}
