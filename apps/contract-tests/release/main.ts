// `pnpm release:verdaccio`: the release, for real, into a Verdaccio registry on loopback, without
// touching the working tree it is run from. The steps (steps/), one job each, in this order:
//  1. copy-workspace    the workspace copied to a temp dir and committed there;
//  2. install           the copy installed offline from the pnpm store;
//  3. start-registry    Verdaccio 6 on 127.0.0.1 (temp storage, nothing proxied) and a publish token;
//  4. gate              with a generated file edited by hand, `pnpm release` must stop at the drift
//                       check and publish nothing;
//  5. publish           `pnpm release` (RELEASE_SKIP_CHECKS=1: CI's `npm test` ran the checks);
//  6. check-registry    the five packages at the versions changesets wrote, each tarball checked;
//  7. install-consumer  examples/consumer installed from Verdaccio (and the reference server with
//                       it), typechecked and compiled;
//  8. run-consumer      `npx wa-contacts-server --port 0` there, and the sample run against it.
// Options: --gate-only (steps 1-4), --skip-gate (no step 4), --full (step 5 with every check),
// --keep (leave the temp dir for a look). Exit code 0 only if all passed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type RunningServer, stopAll } from '@wa-contacts/test-kit';
import { type Context, Failure, type Options } from './context.js';
import { locatePnpm, pnpmShim } from './environment.js';
import { capture } from './processes.js';
import { checkRegistry } from './steps/check-registry.js';
import { copyWorkspace } from './steps/copy-workspace.js';
import { gate } from './steps/gate.js';
import { install } from './steps/install.js';
import { installConsumer } from './steps/install-consumer.js';
import { publish } from './steps/publish.js';
import { runConsumer, startConsumerServer } from './steps/run-consumer.js';
import { startRegistry } from './steps/start-registry.js';
import { printSummary, type Summary } from './summary.js';

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

function parseOptions(argv: string[]): Options {
  const flag = { type: 'boolean', default: false } as const;
  const { values } = parseArgs({
    // pnpm passes a `--` through (`pnpm release:verdaccio -- --keep`).
    args: argv.filter((arg) => arg !== '--'),
    options: { 'gate-only': flag, 'skip-gate': flag, full: flag, keep: flag },
  });
  return { gateOnly: values['gate-only'], skipGate: values['skip-gate'], full: values.full, keep: values.keep };
}

/** The steps in order; what each returns goes into `summary` or on to the next. */
async function releaseSteps(ctx: Context, summary: Summary, servers: RunningServer[]): Promise<void> {
  await copyWorkspace(ctx);
  await install(ctx);
  const registry = await startRegistry(ctx, (server) => servers.push(server));
  if (!ctx.options.skipGate) summary.gate = await gate(ctx, registry);
  if (ctx.options.gateOnly) return;
  const published = await publish(ctx, registry);
  summary.tarballs = await checkRegistry(ctx, registry, published);
  for (const [name, version] of Object.entries(published.versions))
    summary.versions[name] = `${published.before[name]} → ${version}`;
  const consumerDir = await installConsumer(ctx, registry, published.versions);
  const server = await startConsumerServer(ctx, consumerDir);
  servers.push(server.server);
  summary.consumer = await runConsumer(ctx, consumerDir, server);
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message} (options: --gate-only, --skip-gate, --full, --keep)`);
    return 2;
  }
  const startedAt = Date.now();
  const summary: Summary = { versions: {}, tarballs: {}, timings: [] };
  const root = (await capture('git', ['rev-parse', '--show-toplevel'], dirname(fileURLToPath(import.meta.url)))).trim();
  const { packageManager } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  const pnpmVersion = packageManager.replace(/^pnpm@/, '').replace(/\+.*$/, '');
  const pnpmPath = await locatePnpm(root, pnpmVersion);
  const tmp = await mkdtemp(join(tmpdir(), 'wa-release-'));
  const ctx: Context = {
    options,
    root,
    tmp,
    work: join(tmp, 'workspace'),
    pnpmPath,
    shimDir: await pnpmShim(join(tmp, 'bin'), pnpmPath),
    log: (message) => console.log(`[release:verdaccio ${seconds(startedAt)}] ${message}`),
    timed: (what, since) => summary.timings.push([what, seconds(since)]),
  };
  const servers: RunningServer[] = [];
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n[release:verdaccio] ${signal}: stopping`);
    interrupted = true;
    void stopAll();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let passed = false;
  try {
    ctx.log(`temp dir ${tmp}; pnpm ${pnpmVersion} at ${pnpmPath}`);
    await releaseSteps(ctx, summary, servers);
    passed = true;
  } catch (error) {
    const message = error instanceof Failure ? error.message : ((error as Error)?.stack ?? String(error));
    console.error(`\n✗ release:verdaccio FAILED: ${message}`);
    for (const server of servers) {
      // A failure that names the server carries its output already.
      if (error instanceof Failure && message.toLowerCase().includes(server.name.toLowerCase())) continue;
      const output = server.output().trim();
      if (output) console.error(`\n${server.name}'s log:\n${output}`);
    }
  } finally {
    // Verdaccio, the server, and whatever else still runs (a failure mid-way).
    await stopAll();
    if (options.keep) ctx.log(`kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
  printSummary(summary, seconds(startedAt), passed && !interrupted);
  return interrupted ? 130 : passed ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
