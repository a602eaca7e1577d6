'use strict';
// Starts the built reference server (apps/reference-server/dist/main.js) as a child process
// on a free loopback port with a fresh in-memory database, and stops it.

const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

function mainScript() {
  let entry;
  try {
    entry = require.resolve('@wa-contacts/reference-server');
  } catch {
    entry = undefined;
  }
  const main = entry && path.join(path.dirname(entry), 'main.js');
  if (!main || !fs.existsSync(main)) {
    throw new Error(
      'the reference server is not built: run `pnpm contract` from the repository root, or ' +
        '`pnpm turbo run build --filter=@wa-contacts/reference-server...` first',
    );
  }
  return main;
}

/**
 * Resolves with `{ url, stop, output }` once the server listens. `env` adds to (and overrides)
 * the defaults: HOST 127.0.0.1, PORT 0, WA_DATA_DIR memory, LOG_LEVEL warn. The caller's own
 * WA_* and DATABASE_URL variables are not passed on: the server is always a fresh one.
 */
function startReferenceServer({ env = {}, timeoutMs = 30_000 } = {}) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WA_') && k !== 'DATABASE_URL'));
  const child = spawn(process.execPath, [mainScript()], {
    env: { ...inherited, HOST: '127.0.0.1', PORT: '0', WA_DATA_DIR: 'memory', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the reference server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      // The banner (any log level), or Fastify's line at info level and below.
      const match = /reference server on (http:\/\/\S+)/.exec(output) ?? /"msg":"Server listening at (http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ url: match[1], stop, output: () => output, pid: child.pid });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the reference server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

module.exports = { startReferenceServer };
