// `pnpm contract`: Dredd over every transaction of spec/bundled/contacts.yaml.
//
// Starts a fresh reference server (in-memory database) unless CONTRACT_TARGET=<url> names a
// running one, runs Dredd in this process with the hooks of hooks.cts, stops what it started,
// prints one line per transaction and a summary, writes the summary to .tmp/dredd.json
// (CONTRACT_REPORT=<file> elsewhere) and exits 1 on any failure.
//
// Environment (defaults in brackets):
//   CONTRACT_TARGET       base URL of the server under test [a reference server started here]
//   CONTRACT_USERNAME     the account to log in with [admin]
//   CONTRACT_PASSWORD     its password [Contract-Test-1!, then the factory "secret"]
//   CONTRACT_NEW_PASSWORD set when the target answers 1024 (factory first login) [Contract-Test-1!]
//   CONTRACT_TOKEN        a bearer token to use instead of logging in [none]
//   CONTRACT_FIRST_LOGIN_TARGET  a server whose account still has its factory password, for
//                         the 1024 transaction [with CONTRACT_TARGET: none; else one started here]
//   CONTRACT_REPORT       where the JSON summary goes [.tmp/dredd.json]
import { CONTRACT_SERVER_ENV } from './server-env.cjs';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type Dredd from 'dredd';
import { registry } from './registry.cjs';
import { type Outcome, report } from './report.cjs';

// Compiled to dist/dredd/run.cjs: the package is two folders up.
const packageRoot = path.resolve(__dirname, '../..');
const DEFAULT_PASSWORD = 'Contract-Test-1!';
const FACTORY_PASSWORD = 'secret';

// Dredd 14 touches winston's removed `padLevels` on load; Node warns about it on every run.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: never[]) =>
  String(warning).includes('padLevels') ? undefined : emitWarning(warning, ...rest)) as typeof process.emitWarning;

interface Server {
  url: string;
  stop(): Promise<unknown>;
}

/** The servers under test: CONTRACT_TARGET, or one started here, plus the factory-fresh one for 1024. */
async function targets(env: NodeJS.ProcessEnv, started: Server[]) {
  const target = env.CONTRACT_TARGET?.trim();
  const firstLoginTarget = env.CONTRACT_FIRST_LOGIN_TARGET?.trim() || '';
  if (target) {
    console.log(`contract: target ${target} (CONTRACT_TARGET)`);
    return { target, firstLoginTarget };
  }
  const { startReferenceServer } = await import('@wa-contacts/test-kit');
  const from = path.join(packageRoot, 'package.json');
  const [main, factory] = await Promise.all([
    startReferenceServer({
      from,
      env: { WA_ADMIN_PASSWORD: DEFAULT_PASSWORD, ...CONTRACT_SERVER_ENV },
    }),
    firstLoginTarget ? undefined : startReferenceServer({ from }),
  ]);
  started.push(main, ...(factory ? [factory] : []));
  const firstLogin = firstLoginTarget || factory!.url;
  console.log(`contract: reference servers started on ${main.url} (and ${firstLogin} for the first login)`);
  return { target: main.url, firstLoginTarget: firstLogin };
}

/** Runs Dredd with the hooks; each transaction's outcome by name. */
async function runDredd(target: string, errors: string[]): Promise<Map<string, Outcome>> {
  const DreddClass = require('dredd') as typeof Dredd;
  const reporterOutput = require('dredd/build/reporters/reporterOutputLogger').default;
  const outcomes = new Map<string, Outcome>();
  const emitter = new EventEmitter();
  const nameOf = (test: Dredd.Test) =>
    test?.origin
      ? `${test.origin.resourceName} > ${test.origin.actionName} > ${test.origin.exampleName}`
      : String(test?.message);
  for (const status of ['pass', 'fail', 'skip'] as const)
    emitter.on(`test ${status}`, (test: Dredd.Test) => outcomes.set(nameOf(test), { status, test }));
  emitter.on('test error', (error: Error, test: Dredd.Test) =>
    outcomes.set(nameOf(test), { status: 'fail', test, error }),
  );

  reporterOutput.transports.console.silent = true; // this script prints its own report
  const hookFile = path.join(__dirname, 'hooks.cjs');
  const dredd = new DreddClass({
    endpoint: target,
    path: [require.resolve('@wa-contacts/spec/contacts.yaml')],
    hookfiles: [hookFile],
    emitter,
    loglevel: 'error', // Dredd's parser lists every OpenAPI keyword it ignores, as warnings
    color: false,
    custom: { cwd: packageRoot },
  });
  const runError = await new Promise<Error | null | undefined>((resolve) => dredd.run(resolve));
  if (runError) errors.push(`Dredd could not run: ${runError.message}`);
  if (!registry.hooksLoaded) errors.push(`Dredd did not load ${hookFile} (run with loglevel debug to see why)`);
  if (registry.fatal) errors.push(`beforeAll: ${registry.fatal}`);
  errors.push(...registry.extraFailures);
  return outcomes;
}

/** Every operation × documented status of @wa-contacts/server must be one Dredd transaction. */
async function coverageGaps(): Promise<string[]> {
  const { operationRoutes } = await import('@wa-contacts/server');
  const compiled = new Set(registry.transactionKeys);
  const expected = Object.entries(operationRoutes).flatMap(([id, route]) => route.statuses.map((s) => `${id} ${s}`));
  return [
    ...expected.filter((key) => !compiled.has(key)).map((key) => `Dredd compiled no transaction for ${key}`),
    ...[...compiled]
      .filter((key) => !expected.includes(key))
      .map((key) => `Dredd ran ${key}, which operationRoutes does not list`),
  ];
}

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const startedAt = Date.now();
  const started: Server[] = [];
  const errors: string[] = []; // failures that belong to no transaction
  try {
    const { target, firstLoginTarget } = await targets(env, started);
    Object.assign(registry.options, {
      target,
      username: env.CONTRACT_USERNAME || 'admin',
      passwords: env.CONTRACT_PASSWORD ? [env.CONTRACT_PASSWORD] : [DEFAULT_PASSWORD, FACTORY_PASSWORD],
      newPassword: env.CONTRACT_NEW_PASSWORD || DEFAULT_PASSWORD,
      token: env.CONTRACT_TOKEN || '',
      firstLoginTarget,
    });
    const outcomes = await runDredd(target, errors);
    errors.push(...(await coverageGaps()));
    const reportFile = path.resolve(packageRoot, env.CONTRACT_REPORT || '.tmp/dredd.json');
    const summary = report(outcomes, errors, { startedAt, reportFile });
    const ran = summary.passed + summary.skipped + summary.failed;
    return summary.failed > 0 || errors.length > 0 || ran !== summary.total ? 1 : 0;
  } catch (error) {
    console.error(`contract: ${error instanceof Error ? error.stack : error}`);
    return 1;
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}

main(process.env).then((code) => process.exit(code));
