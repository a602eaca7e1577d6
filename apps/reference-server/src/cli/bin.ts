#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasNodeFlags, NODE_FLAGS } from './node-flags.js';
import { helpText, parseCommandLine, type Parsed } from './options.js';

let parsed: Parsed;
try {
  parsed = parseCommandLine(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n(wa-contacts-server --help lists the flags)`);
  process.exit(2);
}

if (parsed.kind === 'help') {
  process.stdout.write(helpText());
} else if (parsed.kind === 'version') {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else if (hasNodeFlags()) {
  Object.assign(process.env, parsed.env);
  await import('../main.js');
} else {
  // V8 flags such as --liftoff-only are refused in NODE_OPTIONS, so the bin starts node again with them.
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, main], {
    env: { ...process.env, ...parsed.env },
    // The IPC channel carries a shutdown: a Ctrl-C reaches both processes, and must count once.
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.connected) child.send({ shutdown: signal });
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
