import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Summary } from '../../dredd/report.cjs';

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What dredd/run.cts writes to CONTRACT_REPORT (report.cts's summary). */
export type ContractReport = Summary;

export interface ContractRun {
  exitCode: number | null;
  output: string;
  report: ContractReport;
}

/** `node dist/dredd/run.cjs` against `target`, as `pnpm contract` runs it, in a child process (after the build). */
export async function runContract(target: string, options: { name: string; password: string }): Promise<ContractRun> {
  const reportFile = path.join(packageRoot, '.tmp', `gate-${options.name}.json`);
  await rm(reportFile, { force: true });
  // The caller's own CONTRACT_* settings must not leak into the gate's runs.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CONTRACT_')));
  const child = spawn(process.execPath, [path.join(packageRoot, 'dist/dredd/run.cjs')], {
    cwd: packageRoot,
    env: { ...env, CONTRACT_TARGET: target, CONTRACT_PASSWORD: options.password, CONTRACT_REPORT: reportFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let report: ContractReport;
  try {
    report = JSON.parse(await readFile(reportFile, 'utf8')) as ContractReport;
  } catch (error) {
    throw new Error(`dist/dredd/run.cjs wrote no report (exit ${exitCode}):\n${output}`, { cause: error });
  }
  return { exitCode, output, report };
}
