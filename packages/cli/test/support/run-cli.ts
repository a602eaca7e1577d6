import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { bin } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };

/** The built bin, as package.json's `bin` names it for an install. */
export const CLI = join(packageDir, bin['wa-contacts']!);

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Only what the CLI needs of the environment: no developer's WA_* variables leak in. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

/**
 * Runs `node <bin> ...args` to its end, or sends SIGINT once `interruptWhen` says so (checked
 * every 100 ms, for at most `timeoutMs`, after which the process is killed).
 */
export function runCli(
  args: string[],
  options: { env: Record<string, string>; stdin?: string; interruptWhen?: () => boolean; timeoutMs?: number },
): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(options.env), stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.stdin ?? '');
  const watch = options.interruptWhen
    ? setInterval(() => {
        if (options.interruptWhen?.()) {
          clearInterval(watch);
          child.kill('SIGINT');
        }
      }, 100)
    : undefined;
  const deadline = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 150_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(watch);
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}
