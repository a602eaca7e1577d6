#!/usr/bin/env node
// `pnpm contract`: Dredd over every transaction of spec/bundled/contacts.yaml.
//
// Starts a fresh reference server (in-memory database) unless CONTRACT_TARGET=<url> names a
// running one, runs Dredd in this process with the hooks of hooks.js, stops what it started,
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

import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startReferenceServer } from '@wa-contacts/test-kit';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const packageRoot = path.resolve(here, '..');

// Dredd 14 touches winston's removed `padLevels` on load; Node warns about it on every run.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) =>
  String(warning).includes('padLevels') ? undefined : emitWarning.call(process, warning, ...rest);

const Dredd = require('dredd');
const reporterOutput = require('dredd/build/reporters/reporterOutputLogger').default;
const { registry } = require('./lib/registry.js');

const DEFAULT_PASSWORD = 'Contract-Test-1!';
const FACTORY_PASSWORD = 'secret';
const CONTRACT_RATE_LIMIT = '2/20';
const env = process.env;
const reportFile = path.resolve(packageRoot, env.CONTRACT_REPORT || '.tmp/dredd.json');
const specFile = require.resolve('@wa-contacts/spec/contacts.yaml');
const hookFile = path.join(here, 'hooks.js');

const started = [];
const errors = []; // failures that belong to no transaction
const startedAt = Date.now();

async function main() {
  let target = env.CONTRACT_TARGET?.trim();
  let firstLoginTarget = env.CONTRACT_FIRST_LOGIN_TARGET?.trim() || '';
  if (!target) {
    // One server for the contract, one whose admin still has the factory password (1024).
    const [main, factory] = await Promise.all([
      // Rate limits on: a bucket of 20 the 429 plans empty cheaply, refilled at 2/s so Dredd's own
      // request still finds it empty 500 ms after a plan took the last token.
      startReferenceServer({
        from: import.meta.url,
        env: { WA_ADMIN_PASSWORD: DEFAULT_PASSWORD, WA_RATE_LIMIT: CONTRACT_RATE_LIMIT },
      }),
      firstLoginTarget ? undefined : startReferenceServer({ from: import.meta.url }),
    ]);
    started.push(main, ...(factory ? [factory] : []));
    target = main.url;
    firstLoginTarget ||= factory.url;
    console.log(`contract: reference servers started on ${main.url} (and ${firstLoginTarget} for the first login)`);
  } else {
    console.log(`contract: target ${target} (CONTRACT_TARGET)`);
  }

  Object.assign(registry.options, {
    target,
    username: env.CONTRACT_USERNAME || 'admin',
    passwords: env.CONTRACT_PASSWORD ? [env.CONTRACT_PASSWORD] : [DEFAULT_PASSWORD, FACTORY_PASSWORD],
    newPassword: env.CONTRACT_NEW_PASSWORD || DEFAULT_PASSWORD,
    token: env.CONTRACT_TOKEN || '',
    firstLoginTarget,
  });

  const outcomes = new Map(); // name → { status, title, message, test }
  const emitter = new EventEmitter();
  const nameOf = (test) =>
    test?.origin
      ? `${test.origin.resourceName} > ${test.origin.actionName} > ${test.origin.exampleName}`
      : test?.message;
  emitter.on('test pass', (test) => outcomes.set(nameOf(test), { status: 'pass', test }));
  emitter.on('test fail', (test) => outcomes.set(nameOf(test), { status: 'fail', test }));
  emitter.on('test skip', (test) => outcomes.set(nameOf(test), { status: 'skip', test }));
  emitter.on('test error', (error, test) => outcomes.set(nameOf(test), { status: 'fail', test, error }));

  reporterOutput.transports.console.silent = true; // this script prints its own report
  const dredd = new Dredd({
    endpoint: target,
    path: [specFile],
    hookfiles: [hookFile],
    emitter,
    loglevel: 'error', // Dredd's parser lists every OpenAPI keyword it ignores, as warnings
    color: false,
    custom: { cwd: packageRoot },
  });
  const runError = await new Promise((resolve) => dredd.run((error) => resolve(error)));
  if (runError) errors.push(`Dredd could not run: ${runError.message}`);
  if (!registry.hooksLoaded) errors.push(`Dredd did not load ${hookFile} (run with loglevel debug to see why)`);
  if (registry.fatal) errors.push(`beforeAll: ${registry.fatal}`);
  errors.push(...registry.extraFailures);
  errors.push(...(await coverageGaps()));
  return outcomes;
}

/** Every operation × documented status of @wa-contacts/server must be one Dredd transaction. */
async function coverageGaps() {
  const { operationRoutes } = await import('@wa-contacts/server');
  const compiled = new Set(registry.transactionOps.map((t) => `${t.operationId} ${t.status}`));
  const expected = Object.entries(operationRoutes).flatMap(([id, route]) => route.statuses.map((s) => `${id} ${s}`));
  return [
    ...expected.filter((key) => !compiled.has(key)).map((key) => `Dredd compiled no transaction for ${key}`),
    ...[...compiled]
      .filter((key) => !expected.includes(key))
      .map((key) => `Dredd ran ${key}, which operationRoutes does not list`),
  ];
}

function report(outcomes) {
  const names = registry.transactionNames;
  const summary = {
    total: names.length,
    passed: 0,
    failed: 0,
    skipped: 0,
    skippedReasons: {},
    failures: {},
    variants: 0,
    notes: registry.notes,
    errors,
  };
  const clip = (text, n = 600) =>
    text && text.length > n ? `${text.slice(0, n)}… (${text.length} characters)` : (text ?? '');
  for (const name of names) {
    const outcome = outcomes.get(name) ?? { status: 'fail', test: { title: name, message: 'never reported by Dredd' } };
    const variants = registry.variants[name] ?? [];
    summary.variants += variants.length;
    const title = outcome.test?.title ?? name;
    if (outcome.status === 'pass') {
      summary.passed++;
      console.log(
        `pass  ${title}${variants.length ? `  (+${variants.length} variant${variants.length > 1 ? 's' : ''})` : ''}`,
      );
    } else if (outcome.status === 'skip') {
      summary.skipped++;
      const reason = registry.skippedReasons[name] ?? 'skipped by Dredd (no reason recorded)';
      summary.skippedReasons[name] = reason;
      console.log(`skip  ${title}  (${reason})`);
    } else {
      summary.failed++;
      const messages = [outcome.error?.message, outcome.test?.message, ...(registry.hookFailures[name] ?? [])].filter(
        Boolean,
      );
      const lines = messages
        .flatMap((m) => m.split('\n'))
        .map((m) => m.trim().replace(/^Failed in (before|after) hook: /, ''));
      const unique = [...new Set(lines.filter(Boolean))];
      summary.failures[name] = unique.join('\n');
      console.log(`FAIL  ${title}\n      ${name}`);
      for (const line of unique) console.log(`      ${clip(line, 1000)}`);
      const actual = outcome.test?.actual;
      if (actual) console.log(`      actual: ${actual.statusCode} ${clip(actual.body)}`);
      const request = outcome.test?.request;
      if (actual && request?.body) console.log(`      request body: ${clip(request.body, 200)}`);
    }
  }
  summary.durationMs = Date.now() - startedAt;
  for (const note of registry.notes) console.log(`note  ${note}`);
  for (const error of errors) console.log(`ERROR ${error}`);

  // 10 × 500: not provokable — grouped by reason, with the statuses it covers.
  const groups = new Map();
  for (const [name, reason] of Object.entries(summary.skippedReasons)) {
    const status = name.split(' > ')[2];
    const group = groups.get(reason) ?? { count: 0, statuses: new Set() };
    group.count++;
    group.statuses.add(status);
    groups.set(reason, group);
  }
  const skips = [...groups].map(([reason, g]) => `${g.count} × ${[...g.statuses].join('/')}: ${reason.split(':')[0]}`);
  console.log(
    `\ncontract: ${summary.total} transactions, ${summary.passed + summary.failed} ran: ${summary.passed} passed, ${summary.failed} failed; ` +
      `${summary.skipped} skipped${skips.length ? ` (${skips.join('; ')})` : ''}; ${summary.variants} extra variants checked` +
      `${errors.length ? `; ${errors.length} error${errors.length > 1 ? 's' : ''} outside transactions` : ''} → ${path.relative(process.cwd(), reportFile)}`,
  );
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

let exitCode = 1;
try {
  const outcomes = await main();
  const summary = report(outcomes);
  exitCode =
    summary.failed > 0 || errors.length > 0 || summary.passed + summary.skipped + summary.failed !== summary.total
      ? 1
      : 0;
} catch (error) {
  console.error(`contract: ${error.stack ?? error}`);
} finally {
  await Promise.all(started.map((server) => server.stop()));
}
process.exit(exitCode);
