'use strict';
// Dredd hooks of the contract gate (Node.js hooks, loaded by Dredd inside run.mjs's process).
//
// beforeAll   logs in (HTTP Basic → token; answers a factory account's 1024 with a new password)
// beforeEach  auth (Basic on login, Bearer elsewhere), and `expected.bodySchema` = the
//             operation's dereferenced response schema for the expected status (Dredd then
//             validates the real body against it; without it, Dredd only compares the
//             example's keys)
// before      one per transaction name: the plan of lib/plans.js prepares the state through
//             the sandbox and rewrites the request to provoke that status
// after       checks the WhatsApp error code, sends the plan's other documented variants,
//             restores what the plan changed

const hooks = require('hooks');
const spec = require('@wa-contacts/spec/contacts.json');
const { registry, fail } = require('./lib/registry.js');
const { responseSchema } = require('./lib/schemas.js');
const { Target, Session, logIn, basic } = require('./lib/target.js');
const { createChecker } = require('./lib/validate.js');
const { plans } = require('./lib/plans.js');

registry.hooksLoaded = true;

const check = createChecker(spec);
let mainTarget;
let session;
/** name → { state, plan, code, op, t } between a transaction's before and after hooks. */
const running = new Map();

/** The operation a transaction belongs to: Dredd names it `path > summary > status > type`. */
function operationOf(transaction) {
  const path = transaction.origin.resourceName;
  const method = transaction.request.method.toLowerCase();
  const status = Number(transaction.expected.statusCode);
  const operation = spec.paths[path]?.[method];
  if (!operation) throw new Error(`no operation ${method.toUpperCase()} ${path} in the bundled spec`);
  return {
    path,
    method: method.toUpperCase(),
    status,
    operationId: operation.operationId,
    security: operation.security ?? spec.security,
  };
}

const done = (fn) => (data, callback) => {
  Promise.resolve()
    .then(() => fn(data))
    .catch((error) => {
      // fetch() says only "fetch failed"; the cause says why (ECONNREFUSED...).
      const message = `${error.message}${error.cause ? ` (${error.cause.code ?? error.cause.message})` : ''}`;
      if (Array.isArray(data)) registry.fatal ||= message;
      else fail(data, `hook error: ${message}`);
    })
    .finally(() => callback());
};

hooks.beforeAll(
  done(async (transactions) => {
    registry.transactionNames = transactions.map((t) => t.name);
    registry.transactionOps = transactions.map((t) => ({ name: t.name, ...operationOf(t) }));
    const { options } = registry;
    mainTarget = new Target(options.target || hooks.configuration.endpoint);
    if (options.token) {
      session = new Session(mainTarget, {
        token: options.token,
        username: options.username,
        password: options.passwords[0] ?? '',
      });
      await session.settings(); // fails early, with the answer, when the token does not work
      registry.notes.push('logged in with CONTRACT_TOKEN');
      return;
    }
    const login = await logIn(mainTarget, options);
    session = new Session(mainTarget, { token: login.token, username: options.username, password: login.password });
    if (login.firstLogin) {
      // A factory account: its 1024 is a documented response too; check it like Dredd would.
      const problems = check(login.firstLogin, { path: '/v1/users/login', method: 'POST', status: 400, code: 1024 });
      if (problems.length > 0)
        registry.extraFailures.push(`first login (1024) does not conform: ${problems.join('; ')}`);
      registry.notes.push(
        `factory account: the first login answered 1024 (checked against the spec), the password was set to CONTRACT_NEW_PASSWORD`,
      );
    }
  }),
);

hooks.beforeEach(
  done(async (transaction) => {
    const op = operationOf(transaction);
    // Dredd itself never validates OpenAPI 3 bodies: this is what makes it.
    transaction.expected.bodySchema = responseSchema(spec, op);
    const usesBasic = op.security.some((requirement) => 'basicAuth' in requirement);
    if (registry.fatal) {
      fail(transaction, `not run: beforeAll failed: ${registry.fatal}`);
      return;
    }
    setHeader(transaction.request, 'Authorization', usesBasic ? session.basic : session.bearer);
  }),
);

// Gavel compares Content-Type as an exact string: `application/json; charset=utf-8` would fail
// against the spec's `application/json`. Same media type → the parameters (charset) are fine;
// a different media type still fails in Gavel with its own message.
hooks.beforeEachValidation((transaction) => {
  const expected = headerName(transaction.expected.headers, 'content-type');
  const actual = headerName(transaction.real?.headers ?? {}, 'content-type');
  if (!expected || !actual) return;
  const mediaType = (value) => String(value).split(';')[0].trim().toLowerCase();
  if (mediaType(transaction.expected.headers[expected]) === mediaType(transaction.real.headers[actual])) {
    transaction.expected.headers[expected] = transaction.real.headers[actual];
  }
});

for (const name of Object.keys(hooks.transactions)) {
  hooks.before(
    name,
    done(async (transaction) => {
      if (transaction.skip || transaction.fail) return;
      const op = operationOf(transaction);
      const plan = plans[`${op.operationId} ${op.status}`];
      if (!plan) {
        fail(
          transaction,
          `no plan in dredd/lib/plans.js provokes ${op.operationId} ${op.status}: add one (or a reasoned skip)`,
        );
        return;
      }
      const t = helper(transaction, op, plan);
      const entry = { op, plan, t, state: {}, code: plan.code };
      running.set(name, entry);
      entry.state = (await plan.before?.(t, session)) ?? {};
    }),
  );

  hooks.after(
    name,
    done(async (transaction) => {
      const entry = running.get(name);
      running.delete(name);
      if (!entry) return;
      const { op, plan, t, state } = entry;
      try {
        if (!transaction.real) return; // the request itself failed: Dredd reports it
        const body = parseJson(transaction.real.body);
        const code = body?.errors?.[0]?.code;
        if (entry.code !== undefined && Number(transaction.real.statusCode) === op.status && code !== entry.code) {
          fail(transaction, `provoked the wrong error: expected code ${entry.code}, got ${code}`);
        }
        for (const problem of plan.checkReal?.(transaction.real) ?? []) fail(transaction, problem);
        for (const variant of plan.variants ?? []) {
          if (variant.when && !variant.when(state)) continue;
          const res = await variant.send(session, state, t);
          const problems = check(res, { ...op, code: variant.code ?? entry.code });
          registry.variants[name] ??= [];
          registry.variants[name].push({ variant: variant.name, ok: problems.length === 0, problems });
          if (problems.length > 0) fail(transaction, `variant "${variant.name}": ${problems.join('; ')}`);
        }
      } finally {
        await plan.after?.(session, state);
      }
    }),
  );
}

/** What a plan may do to its transaction. */
function helper(transaction, op, plan) {
  const request = transaction.request;
  const entry = () => running.get(transaction.name);
  let basePath = mainTarget.basePath;
  return {
    options: registry.options,
    basicAuth: basic,
    note: (message) => registry.notes.push(`${transaction.name}: ${message}`),
    expectCode: (code) => {
      entry().code = code;
    },
    body: () => parseJson(request.body),
    uri(uri) {
      request.uri = uri;
      transaction.fullPath = `${basePath}${uri}`;
      transaction.id = `${request.method} (${op.status}) ${uri}`;
    },
    json(value) {
      request.body = JSON.stringify(value);
      setHeader(request, 'Content-Type', 'application/json');
    },
    noBody() {
      request.body = '';
      setHeader(request, 'Content-Type', null);
    },
    auth(value) {
      setHeader(request, 'Authorization', value);
    },
    /** Send this one transaction to another server (the factory-fresh one for 1024). */
    retarget(url) {
      const other = new Target(url);
      transaction.protocol = other.protocol;
      transaction.host = other.host;
      transaction.port = other.port;
      basePath = other.basePath;
      transaction.fullPath = `${basePath}${request.uri}`;
    },
    /** The transaction's request again, with changes, to the main target: a variant. */
    resend({ uri = request.uri, json, body, headers = {}, authorization } = {}) {
      const h = {};
      for (const [k, v] of Object.entries(request.headers))
        if (!/^(content-length|host|connection)$/i.test(k)) h[k] = v;
      for (const [k, v] of Object.entries(headers)) setHeader({ headers: h }, k, v);
      if (authorization !== undefined) setHeader({ headers: h }, 'Authorization', authorization);
      const payload = json !== undefined ? JSON.stringify(json) : body !== undefined ? body : request.body;
      if (json !== undefined) setHeader({ headers: h }, 'Content-Type', 'application/json');
      const method = request.method;
      // fetch() labels a string body text/plain when no Content-Type is set: send none at all.
      const sent = method === 'GET' || payload === '' ? undefined : payload;
      return mainTarget.request(method, uri, { body: sent, headers: h });
    },
    plan,
  };
}

const headerName = (headers, name) => Object.keys(headers).find((key) => key.toLowerCase() === name);

/** Case-insensitive set (null removes). */
function setHeader(request, name, value) {
  for (const key of Object.keys(request.headers))
    if (key.toLowerCase() === name.toLowerCase()) delete request.headers[key];
  if (value !== null && value !== undefined) request.headers[name] = value;
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
