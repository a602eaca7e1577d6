#!/usr/bin/env node
// `pnpm release:verdaccio`: the release, for real, into a Verdaccio registry on loopback, without
// touching the working tree it is run from.
//
//  1. copies the workspace (tracked and untracked-but-not-ignored files) to a temp dir, commits
//     it there and installs it offline from the pnpm store;
//  2. starts Verdaccio 6 on 127.0.0.1 (temp storage; @wa-contacts is local only, nothing is
//     proxied) and creates a user through its API for the publish token;
//  3. the gate: with a generated file edited by hand, the full `pnpm release` must stop at the
//     drift check, and Verdaccio must still hold no @wa-contacts package;
//  4. the release: `pnpm release` with RELEASE_SKIP_CHECKS=1 (CI's `npm test` ran the checks on
//     this commit), i.e. build, `changeset version`, `changeset publish`;
//  5. checks that the four packages are in Verdaccio at the versions changesets wrote, and
//     lists every tarball: only package.json, README/LICENSE/CHANGELOG and the `files` whitelist,
//     no tests, tsconfig, node_modules or .tmp, no `workspace:` left in the dependencies;
//  6. copies examples/consumer out of the workspace, installs it with npm (@wa-contacts from
//     Verdaccio, the rest from the usual registry), typechecks it against the published types,
//     compiles it and runs it against a reference server started for it.
//
// Options: --gate-only (steps 1-3), --skip-gate (no step 3), --full (step 4 without
// RELEASE_SKIP_CHECKS), --keep (leave the temp dir for a look). Exit code 0 only if all passed.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  copyFile,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { retryOnAddressInUse, startReferenceServer, startServer, stopAll, waitUntil } from '@wa-contacts/test-kit';
import { inspectTarball } from './tarball.mjs';

// pnpm passes a `--` through (`pnpm release:verdaccio -- --keep`): ignore it.
const args = new Set(process.argv.slice(2).filter((arg) => arg !== '--'));
for (const arg of args) {
  if (!['--gate-only', '--skip-gate', '--full', '--keep'].includes(arg)) {
    console.error(`unknown option ${arg} (options: --gate-only, --skip-gate, --full, --keep)`);
    process.exit(2);
  }
}
const GATE = !args.has('--skip-gate');
const RELEASE = !args.has('--gate-only');

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const PUBLISHED = ['@wa-contacts/spec', '@wa-contacts/types', '@wa-contacts/server', '@wa-contacts/client'];
const PACKAGE_DIRS = {
  '@wa-contacts/spec': 'spec',
  '@wa-contacts/types': 'packages/types',
  '@wa-contacts/server': 'packages/server',
  '@wa-contacts/client': 'packages/client',
};
// Meta's five example numbers and the wa_ids the consumer sample must print for them.
const EXPECTED_WA_IDS = ['16315551000', '16315551001', '16315551002', '16315551004', '16315551005'];
// The hand edit of the gate: a bundled spec file that is published as it is (in @wa-contacts/spec).
const GATE_TAMPERED_FILE = 'spec/bundled/contacts.yaml';

const started = Date.now();
const elapsed = (since = started) => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const timings = [];
const log = (message) => console.log(`[release:verdaccio ${elapsed()}] ${message}`);
class Failure extends Error {}
const fail = (message) => {
  throw new Failure(message);
};
const check = (condition, message) => {
  if (!condition) fail(message);
};

// ── processes ───────────────────────────────────────────────────────────────────────────────
// Commands run to their end; the servers (Verdaccio, the reference server) go through test-kit.
const children = new Set();

/** Runs a command to its end; resolves { code, output }. Output is echoed with a prefix when `echo`. */
function run(command, commandArgs, { cwd, env, echo = true, prefix = '  │ ', timeoutMs = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      if (echo) process.stdout.write(text.replace(/^(?=.)/gm, prefix));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs / 1000}s]\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** Like run, but a non-zero exit is a failure whose message carries the output's tail. */
async function runOk(what, command, commandArgs, options = {}) {
  const stepStarted = Date.now();
  const result = await run(command, commandArgs, options);
  if (result.code !== 0) {
    const tail = options.echo === false ? `\n${result.output.split('\n').slice(-40).join('\n')}` : '';
    fail(`${what} failed (exit ${result.code})${tail}`);
  }
  timings.push([what, elapsed(stepStarted)]);
  return result.output;
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// ── pnpm, and a clean environment ───────────────────────────────────────────────────────────
const root = (await runCapture('git', ['rev-parse', '--show-toplevel'], here)).trim();
const rootPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, '').replace(/\+.*$/, '');

async function runCapture(command, commandArgs, cwd) {
  const result = await run(command, commandArgs, { cwd, echo: false });
  if (result.code !== 0) fail(`${command} ${commandArgs.join(' ')} failed:\n${result.output}`);
  return result.output;
}

// The environment of `pnpm release:verdaccio` carries the workspace's npm_* settings and its
// node_modules/.bin on PATH: none of it may leak into the copy or the consumer.
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|INIT_CWD$|TURBO_(?!TELEMETRY))/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry && !entry.startsWith(root + sep) && entry !== root)
    .join(':');
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', REDOCLY_TELEMETRY: 'off', ...extra };
}

// The pinned pnpm: the one running this script (`pnpm release:verdaccio`), or else the one npx
// fetches, located once here with the usual registry (the release itself only sees Verdaccio,
// where npx would find no pnpm). Its bin folder goes on PATH: `changeset publish` runs `pnpm publish`.
async function locatePnpm() {
  if ((process.env.npm_config_user_agent ?? '').startsWith(`pnpm/${pnpmVersion}`) && process.env.npm_execpath) {
    return process.env.npm_execpath;
  }
  const shim = (await runCapture('npx', ['-y', '-p', `pnpm@${pnpmVersion}`, '-c', 'command -v pnpm'], root))
    .trim()
    .split('\n')
    .at(-1);
  return realpath(shim);
}
const pnpmPath = await locatePnpm();
const pnpmCommand = (pnpmArgs) => [process.execPath, [pnpmPath, ...pnpmArgs]];
/** A folder with a `pnpm` that runs the pinned one, for PATH. */
async function pnpmShim(dir) {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'pnpm'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(pnpmPath)} "$@"\n`,
    { mode: 0o755 },
  );
  return dir;
}
let shimDir;
function pnpmEnv(extra) {
  const env = cleanEnv(extra);
  env.PATH = `${shimDir}:${env.PATH}`;
  return env;
}

// ── the steps ───────────────────────────────────────────────────────────────────────────────
const tmp = await mkdtemp(join(tmpdir(), 'wa-release-'));
const work = join(tmp, 'workspace');
const consumerDir = join(tmp, 'consumer');
const summary = { versions: {}, tarballs: {}, consumer: null, gate: null };
let verdaccio;
let server;

async function copyWorkspace() {
  const stepStarted = Date.now();
  const listing = await runCapture('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root);
  const files = [...new Set(listing.split('\0').filter(Boolean))];
  let copied = 0;
  for (const file of files) {
    let stat;
    try {
      stat = await lstat(join(root, file));
    } catch {
      continue; // tracked but deleted in the working tree
    }
    if (stat.isDirectory()) continue; // a submodule or nested repository: not part of a release
    await mkdir(dirname(join(work, file)), { recursive: true });
    if (stat.isSymbolicLink()) await symlink(await readlink(join(root, file)), join(work, file));
    else await copyFile(join(root, file), join(work, file));
    copied += 1;
  }
  // With no pending changeset (right after a release), `changeset version` would have nothing to
  // do: the copy gets a patch changeset of its own, so the publish is still exercised.
  const pending = (await readdir(join(work, '.changeset'))).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length === 0) {
    const bumps = PUBLISHED.map((name) => `'${name}': patch`).join('\n');
    await writeFile(
      join(work, '.changeset', 'release-test.md'),
      `---\n${bumps}\n---\n\nRelease test (no pending changeset in the workspace).\n`,
    );
    log('no pending changeset: the copy gets .changeset/release-test.md (a patch of the four packages)');
  } else {
    log(`pending changesets: ${pending.join(', ')}`);
  }
  const git = (gitArgs) => runCapture('git', gitArgs, work);
  await git(['init', '-q', '-b', 'main']);
  await git(['add', '-A']);
  await git([
    '-c',
    'user.name=release test',
    '-c',
    'user.email=release@localhost',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-q',
    '--no-verify',
    '-m',
    'snapshot for the release test',
  ]);
  timings.push(['copy + git commit', elapsed(stepStarted)]);
  log(`copied ${copied} files of ${root} to ${work} and committed them there`);
}

async function install() {
  const [command, commandArgs] = pnpmCommand(['install', '--frozen-lockfile', '--offline', '--reporter=append-only']);
  const env = pnpmEnv({ CI: 'true' });
  const stepStarted = Date.now();
  const offline = await run(command, commandArgs, { cwd: work, env, echo: false });
  if (offline.code === 0) {
    timings.push(['pnpm install --offline', elapsed(stepStarted)]);
    log('installed from the pnpm store (--offline)');
    return;
  }
  log('the store lacks something for --offline; installing with --prefer-offline');
  const [c2, a2] = pnpmCommand(['install', '--frozen-lockfile', '--prefer-offline', '--reporter=append-only']);
  await runOk('pnpm install --prefer-offline', c2, a2, { cwd: work, env, echo: false });
}

function verdaccioConfig(dir, storage, port) {
  // @wa-contacts is local only; no uplink at all, so nothing is fetched from (or leaks to) npmjs.
  return [
    `storage: ${JSON.stringify(storage)}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
    '    max_users: 1',
    // bcrypt's default 10 rounds cost ~250 ms per authenticated request of the publish.
    '    algorithm: bcrypt',
    '    rounds: 4',
    'uplinks: {}',
    'packages:',
    "  '@wa-contacts/*':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    'web:',
    '  enable: false',
    'server:',
    '  keepAliveTimeout: 60',
    'log: { type: stdout, format: pretty, level: warn }',
    `listen: 127.0.0.1:${port}`,
    '',
  ].join('\n');
}

async function startVerdaccio() {
  const dir = join(tmp, 'verdaccio');
  const storage = join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  const bin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const version = JSON.parse(await readFile(require.resolve('verdaccio/package.json'), 'utf8')).version;
  const stepStarted = Date.now();
  // Verdaccio 6 cannot take port 0 and say which port it got (it prints its configured address
  // before it listens), so it gets a port picked here, and another one when it finds that port
  // taken in the meantime (EADDRINUSE) rather than failing the run.
  verdaccio = await retryOnAddressInUse(async (port) => {
    await writeFile(join(dir, 'config.yaml'), verdaccioConfig(dir, storage, port));
    const url = `http://127.0.0.1:${port}/`;
    return startServer({
      name: 'verdaccio',
      command: process.execPath,
      args: [bin, '--config', join(dir, 'config.yaml')],
      cwd: dir,
      env: cleanEnv(),
      ready: (child) =>
        waitUntil(child, async () => (await fetch(`${url}-/ping`)).ok && url, {
          timeoutMs: 60_000,
          what: 'answer on /-/ping',
        }),
    });
  }).catch((error) => fail(error.message));
  const url = verdaccio.url;
  const port = new URL(url).port;
  // A user, and its token, through the registry's own API (what `npm adduser` does).
  const password = randomBytes(12).toString('base64url');
  const response = await fetch(`${url}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: 'org.couchdb.user:release',
      name: 'release',
      password,
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = await response.json();
  check(
    response.status === 201 && body.token,
    `creating the Verdaccio user: HTTP ${response.status} ${JSON.stringify(body)}`,
  );
  const npmrc = join(tmp, 'release.npmrc');
  await writeFile(
    npmrc,
    [`registry=${url}`, `@wa-contacts:registry=${url}`, `//127.0.0.1:${port}/:_authToken=${body.token}`, ''].join('\n'),
  );
  timings.push(['verdaccio start + user', elapsed(stepStarted)]);
  log(`Verdaccio ${version} on ${url} (storage ${storage}), user "release" created, token in ${npmrc}`);
  return { url, storage, npmrc, port };
}

/** The environment of a release in the copy: every registry setting points at Verdaccio. */
const releaseEnv = (registry, extra) =>
  pnpmEnv({
    npm_config_userconfig: registry.npmrc,
    npm_config_registry: registry.url,
    'npm_config_@wa-contacts:registry': registry.url,
    ...extra,
  });

async function publishedPackages(registry) {
  const found = {};
  for (const name of PUBLISHED) {
    const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
    if (response.status === 404) continue;
    check(response.ok, `GET ${name} from Verdaccio: HTTP ${response.status}`);
    found[name] = await response.json();
  }
  let stored = [];
  try {
    stored = await readdir(join(registry.storage, '@wa-contacts'));
  } catch {
    // no @wa-contacts folder: nothing stored
  }
  return { found, stored };
}

async function gate(registry) {
  log(`gate: ${GATE_TAMPERED_FILE} edited by hand; the full \`pnpm release\` must stop at the drift check`);
  const tampered = join(work, GATE_TAMPERED_FILE);
  await writeFile(tampered, `${await readFile(tampered, 'utf8')}# edited by hand instead of bundled from the spec\n`);
  const stepStarted = Date.now();
  const [command, commandArgs] = pnpmCommand(['release']);
  const result = await run(command, commandArgs, { cwd: work, env: releaseEnv(registry, {}), prefix: '  │ gate │ ' });
  timings.push(['gate: pnpm release (must fail)', elapsed(stepStarted)]);
  check(result.code !== 0, 'gate: `pnpm release` exited 0 with a hand-edited generated file');
  check(
    result.output.includes('Drift:') && result.output.includes(GATE_TAMPERED_FILE),
    'gate: `pnpm release` failed, but not at the drift check naming the edited file',
  );
  check(
    !/release step \d+\/\d+: changeset (version|publish)/.test(result.output),
    'gate: the release reached changeset version/publish',
  );
  const { found, stored } = await publishedPackages(registry);
  check(
    Object.keys(found).length === 0 && stored.length === 0,
    `gate: Verdaccio holds @wa-contacts packages after a failed release: ${[...Object.keys(found), ...stored].join(', ')}`,
  );
  // Back to the committed snapshot (the drift check already regenerated the file in place).
  await runCapture('git', ['checkout', '--', '.'], work);
  const status = await runCapture('git', ['status', '--porcelain'], work);
  check(status.trim() === '', `gate: the copy is not clean after the gate:\n${status}`);
  summary.gate = `\`pnpm release\` exit ${result.code} at the drift check, 0 @wa-contacts packages in Verdaccio`;
  log(`gate: ✓ ${summary.gate}`);
}

async function release(registry) {
  const before = {};
  for (const name of PUBLISHED)
    before[name] = JSON.parse(await readFile(join(work, PACKAGE_DIRS[name], 'package.json'), 'utf8')).version;
  const full = args.has('--full');
  log(
    `release: \`pnpm release\`${full ? ' (full: every check)' : ' with RELEASE_SKIP_CHECKS=1 (npm test ran the checks)'}`,
  );
  const [command, commandArgs] = pnpmCommand(['release']);
  await runOk(`pnpm release${full ? ' (full)' : ' (RELEASE_SKIP_CHECKS=1)'}`, command, commandArgs, {
    cwd: work,
    env: releaseEnv(registry, full ? {} : { RELEASE_SKIP_CHECKS: '1' }),
    prefix: '  │ release │ ',
  });

  const versions = {};
  for (const name of PUBLISHED) {
    const local = JSON.parse(await readFile(join(work, PACKAGE_DIRS[name], 'package.json'), 'utf8'));
    versions[name] = local.version;
  }
  const stepStarted = Date.now();
  const { found } = await publishedPackages(registry);
  for (const name of PUBLISHED) {
    const version = versions[name];
    const packument = found[name];
    check(packument, `${name} is not in Verdaccio after the release`);
    check(version !== before[name], `${name}: changeset version left it at ${version}`);
    check(
      packument.versions?.[version],
      `${name}@${version} is not in Verdaccio (it has ${Object.keys(packument.versions ?? {}).join(', ')})`,
    );
    check(
      packument['dist-tags']?.latest === version,
      `${name}: dist-tag latest is ${packument['dist-tags']?.latest}, not ${version}`,
    );
    const dist = packument.versions[version].dist;
    const response = await fetch(dist.tarball);
    check(response.ok, `${name}: downloading ${dist.tarball}: HTTP ${response.status}`);
    const tgz = Buffer.from(await response.arrayBuffer());
    const [algorithm, digest] = dist.integrity.split('-');
    check(
      createHash(algorithm).update(tgz).digest('base64') === digest,
      `${name}: the tarball does not match its integrity ${dist.integrity}`,
    );
    const local = JSON.parse(await readFile(join(work, PACKAGE_DIRS[name], 'package.json'), 'utf8'));
    const inspected = inspectTarball({ name, version, tgz, localPackage: local, versions });
    check(inspected.problems.length === 0, `${name}@${version} tarball:\n    ${inspected.problems.join('\n    ')}`);
    summary.tarballs[name] = {
      files: inspected.paths.length,
      bytes: tgz.length,
      top: inspected.top,
      paths: inspected.paths,
    };
    summary.versions[name] = `${before[name]} → ${version}`;
  }
  // Nothing is proxied: a third-party package is not there.
  const thirdParty = await fetch(`${registry.url}typescript`);
  check(thirdParty.status === 404, `Verdaccio answered ${thirdParty.status} for typescript: it proxies to an uplink`);
  timings.push(['registry + tarball checks', elapsed(stepStarted)]);
  for (const name of PUBLISHED) {
    const t = summary.tarballs[name];
    log(
      `  ✓ ${name}@${versions[name]}: ${t.files} files (${Object.entries(t.top)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), ${(t.bytes / 1024).toFixed(1)} KiB`,
    );
  }
  return versions;
}

async function startConsumerServer(password) {
  const stepStarted = Date.now();
  // test-kit passes on none of this process's server variables: CI exports a DATABASE_URL, and
  // that shared database already holds an admin password.
  server = await startReferenceServer({
    main: join(work, 'apps/reference-server/dist/main.js'),
    cwd: join(work, 'apps/reference-server'),
    baseEnv: cleanEnv(),
    env: { WA_ADMIN_PASSWORD: password },
  }).catch((error) => fail(error.message));
  timings.push(['reference server start', elapsed(stepStarted)]);
  log(`reference server (memory database) on ${server.url}`);
  return server.url;
}

async function consumer(registry, versions) {
  const clientVersion = versions['@wa-contacts/client'];
  await cp(join(root, 'examples/consumer'), consumerDir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)|package-lock\.json$/.test(source.slice(root.length)),
  });
  const manifestPath = join(consumerDir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  check(
    manifest.dependencies?.['@wa-contacts/client'],
    'examples/consumer/package.json does not depend on @wa-contacts/client',
  );
  if (manifest.dependencies['@wa-contacts/client'] !== clientVersion) {
    log(
      `consumer: @wa-contacts/client ${manifest.dependencies['@wa-contacts/client']} in examples/consumer → ${clientVersion}, the version just released`,
    );
  }
  manifest.dependencies['@wa-contacts/client'] = clientVersion;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  // Only the scope goes to Verdaccio; typescript, openapi-fetch & co. come from the usual registry.
  await writeFile(join(consumerDir, '.npmrc'), `@wa-contacts:registry=${registry.url}\n`);

  // The server starts (PGlite takes a few seconds) while the consumer installs and compiles.
  const password = `Consumer-${randomBytes(6).toString('hex')}-Aa1!`;
  const serverReady = startConsumerServer(password);
  serverReady.catch(() => {}); // awaited below; a failure before then must not go unhandled
  await runOk('consumer: npm install', 'npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: consumerDir,
    env: cleanEnv(),
    prefix: '  │ consumer │ ',
  });
  for (const name of ['@wa-contacts/client', '@wa-contacts/types']) {
    const installed = JSON.parse(await readFile(join(consumerDir, 'node_modules', name, 'package.json'), 'utf8'));
    check(
      installed.version === versions[name],
      `consumer: installed ${name}@${installed.version}, expected ${versions[name]}`,
    );
  }
  const npm = (script) => ['npm', ['run', '--silent', script]];
  await runOk('consumer: tsc --noEmit', ...npm('typecheck'), {
    cwd: consumerDir,
    env: cleanEnv(),
    prefix: '  │ consumer │ ',
  });
  await runOk('consumer: tsc (build)', ...npm('build'), {
    cwd: consumerDir,
    env: cleanEnv(),
    prefix: '  │ consumer │ ',
  });
  const baseUrl = await serverReady;
  const output = await runOk('consumer: node dist/sample.js', process.execPath, ['dist/sample.js'], {
    cwd: consumerDir,
    env: cleanEnv({ WA_BASE_URL: baseUrl, WA_USERNAME: 'admin', WA_PASSWORD: password }),
    prefix: '  │ sample │ ',
    timeoutMs: 60_000,
  });
  for (const waId of EXPECTED_WA_IDS) {
    check(new RegExp(`→ valid ${waId}\\b`).test(output), `consumer: the sample did not print "valid ${waId}"`);
  }
  check(
    output.includes('All 5 numbers resolved to the expected wa_ids.'),
    'consumer: the sample did not report success',
  );
  summary.consumer = output.trim();
}

// ── main ────────────────────────────────────────────────────────────────────────────────────
let exitCode = 0;
const onSignal = (signal) => {
  console.error(`\n[release:verdaccio] ${signal}: stopping`);
  exitCode = 130;
  for (const child of children) child.kill('SIGTERM');
  void stopAll();
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  log(`temp dir ${tmp}; pnpm ${pnpmVersion} at ${pnpmPath}`);
  shimDir = await pnpmShim(join(tmp, 'bin'));
  await copyWorkspace();
  await install();
  const registry = await startVerdaccio();
  if (GATE) await gate(registry);
  if (RELEASE) {
    const versions = await release(registry);
    await consumer(registry, versions);
  }
} catch (error) {
  exitCode = 1;
  console.error(`\n✗ release:verdaccio FAILED: ${error instanceof Failure ? error.message : (error?.stack ?? error)}`);
  if (verdaccio && !(error instanceof Failure && /verdaccio/i.test(error.message))) {
    const output = verdaccio.output().trim();
    if (output) console.error(`\nVerdaccio's log:\n${output}`);
  }
  if (server?.output().trim()) console.error(`\nThe reference server's log:\n${server.output().trim()}`);
} finally {
  // Verdaccio, the server, and whatever else is still running (a failure mid-way).
  await Promise.all([stopAll(), ...[...children].map((child) => stop(child))]);
  if (args.has('--keep')) log(`kept ${tmp}`);
  else await rm(tmp, { recursive: true, force: true, maxRetries: 3 });
}

console.log(`\n── release:verdaccio summary (${elapsed()}) ${'─'.repeat(40)}`);
if (summary.gate) console.log(`gate:      ${summary.gate}`);
for (const [name, versions] of Object.entries(summary.versions)) {
  const t = summary.tarballs[name];
  console.log(
    `published: ${name.padEnd(20)} ${versions.padEnd(16)} ${String(t.files).padStart(3)} files: ${Object.entries(t.top)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}
if (summary.consumer) console.log(`consumer:  ${summary.consumer.split('\n').join('\n           ')}`);
console.log(`timings:   ${timings.map(([what, time]) => `${what} ${time}`).join(' · ')}`);
console.log(
  exitCode === 0 ? `✓ release:verdaccio passed in ${elapsed()}` : `✗ release:verdaccio failed after ${elapsed()}`,
);
process.exit(exitCode);
