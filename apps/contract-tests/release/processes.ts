// Commands of the release, run to their end through test-kit's process runner (own process
// group, so a timeout or Ctrl-C also stops what they started).
import { describeExit, spawnChild } from '@wa-contacts/test-kit';
import { type Context, Failure } from './context.js';

export interface RunOptions {
  cwd: string;
  /** The child's whole environment. */
  env: NodeJS.ProcessEnv;
  /** Echo the output, each line behind this prefix; silent when undefined. */
  prefix?: string | undefined;
  timeoutMs?: number;
}

/** Runs a command to its end: its exit code (128 for a signal) and everything it printed. */
export async function run(command: string, args: string[], options: RunOptions) {
  const child = spawnChild({ name: command, command, args, cwd: options.cwd, env: options.env });
  let output = '';
  child.onOutput((text) => {
    output += text;
    if (options.prefix !== undefined) process.stdout.write(text.replace(/^(?=.)/gm, options.prefix));
  });
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const timer = setTimeout(() => {
    output += `\n[killed after ${timeoutMs / 1000}s]\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exit = await child.exited;
  clearTimeout(timer);
  if (exit.error) throw new Failure(`${command} ${describeExit(exit)}`);
  return { code: exit.code ?? 128, output };
}

/** run(), timed under `what`; a non-zero exit is a Failure carrying the output's tail when it was not echoed. */
export async function runOk(ctx: Context, what: string, command: string, args: string[], options: RunOptions) {
  const started = Date.now();
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const tail = options.prefix === undefined ? `\n${result.output.split('\n').slice(-40).join('\n')}` : '';
    throw new Failure(`${what} failed (exit ${result.code})${tail}`);
  }
  ctx.timed(what, started);
  return result.output;
}

/** A quiet command whose output is the point (git); a non-zero exit is a Failure with all of it. */
export async function capture(command: string, args: string[], cwd: string, env = process.env): Promise<string> {
  const result = await run(command, args, { cwd, env });
  if (result.code !== 0) throw new Failure(`${command} ${args.join(' ')} failed:\n${result.output}`);
  return result.output;
}

/** `pnpm <args>` with the pinned pnpm. */
export const pnpm = (ctx: Context, args: string[]): [string, string[]] => [process.execPath, [ctx.pnpmPath, ...args]];
