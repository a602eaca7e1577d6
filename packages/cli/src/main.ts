#!/usr/bin/env node
import { parseCheckArgs, HELP } from './args.js';
import { check } from './check.js';
import { CliError, EXIT } from './exit-codes.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? EXIT.badInput : EXIT.done;
  }
  if (command !== 'check') throw new CliError(`unknown command "${command}"; see wa-contacts --help`, EXIT.badInput);
  const args = parseCheckArgs(rest, process.env);
  if (!args) {
    process.stdout.write(HELP);
    return EXIT.done;
  }
  const controller = new AbortController();
  // The first Ctrl-C ends cleanly after the batch being written; a second one kills at once.
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  return check(args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }, controller.signal);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof CliError ? error : undefined;
    process.stderr.write(`wa-contacts: ${known ? known.message : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = known ? known.exitCode : EXIT.failed;
  },
);
