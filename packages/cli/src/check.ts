import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { text as readStream } from 'node:stream/consumers';
import { createContactsClient } from '@wa-contacts/client';
import { checkBatches } from '@wa-contacts/client/bulk';
import type { CheckArgs } from './args.js';
import { explain } from './errors.js';
import { CliError, EXIT } from './exit-codes.js';
import { isBad, readInput, type BadRow, type Row } from './input.js';
import { formatter, REJECTS_HEADER, rejectRecords } from './output.js';
import { createProgress } from './progress.js';
import { linesRejected, resultsWritten } from './resume.js';

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** Waits for the stream to take the chunk, so a slow reader holds the run back instead of memory. */
const writeTo = (stream: NodeJS.WritableStream, chunk: string) =>
  new Promise<void>((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve())));

export async function check(args: CheckArgs, io: Io, signal: AbortSignal): Promise<number> {
  const text = args.file === undefined ? await readStream(io.stdin) : readSource(args.file);
  const { otherColumns, entries } = readInput(text, args);
  const rows = entries.filter((e): e is Row => !isBad(e));
  const bad = entries.filter(isBad);
  if (bad.length > 0 && !args.rejects) {
    const [first] = bad as [BadRow];
    throw new CliError(
      `line ${first.line}: ${first.reason} (${bad.length} bad row(s) in all; --rejects FILE sets them aside and goes on)`,
      EXIT.badInput,
    );
  }

  if (args.out && existsSync(args.out) && !args.resume)
    throw new CliError(
      `${args.out} already exists: add --resume to continue it, or choose another --out`,
      EXIT.badInput,
    );

  const client = createContactsClient({
    baseUrl: args.url,
    credentials: { username: args.username, password: args.password, newPassword: args.newPassword },
    // A list takes minutes: more patience with the node's limits than the client's defaults.
    retry: { retries: 10, maxDelayMs: 30_000, budgetMs: 300_000 },
    timeoutMs: 60_000,
  });
  // Before any file is made: an --out left with only a header would need --resume next time.
  try {
    await client.login();
  } catch (error) {
    throw explain(error, args.url, 'login');
  }

  const format = formatter(args.format, otherColumns);
  let written = 0;
  if (args.out) {
    const earlier = resultsWritten(args.out, args.format);
    if (earlier.count > rows.length)
      throw new CliError(
        `${args.out} holds ${earlier.count} results but the input has ${rows.length} rows`,
        EXIT.badInput,
      );
    written = earlier.count;
    if (!earlier.hasHeader) appendFileSync(args.out, format.header);
  } else {
    await writeTo(io.stdout, format.header);
  }
  if (args.rejects && bad.length > 0) {
    // Bad rows are known before any check; a resumed run adds only those not written yet.
    const known = linesRejected(args.rejects);
    if (!existsSync(args.rejects)) appendFileSync(args.rejects, REJECTS_HEADER);
    appendFileSync(args.rejects, rejectRecords(bad.filter((b) => !known.has(b.line))));
  }

  const todo = rows.slice(written);
  const progress = createProgress(args.progress, rows.length, written, io.stderr);
  const counts = new Map<string, number>();
  try {
    for await (const { offset, results } of checkBatches(
      client,
      todo.map((row) => row.number),
      {
        batchSize: args.batchSize,
        concurrency: args.concurrency,
        pollIntervalMs: args.pollIntervalMs,
        signal,
        onProgress: ({ done }) => progress.update(written + done),
      },
    )) {
      const chunk = format.records(todo.slice(offset, offset + results.length), results);
      // One write per batch: an interruption leaves whole batches, which --resume counts.
      if (args.out) appendFileSync(args.out, chunk);
      else await writeTo(io.stdout, chunk);
      for (const { status } of results) counts.set(status, (counts.get(status) ?? 0) + 1);
    }
  } catch (error) {
    progress.stop();
    if (signal.aborted) {
      const kept = args.out ? resultsWritten(args.out, args.format).count : undefined;
      io.stderr.write(
        kept === undefined
          ? 'Interrupted: the results so far went to stdout.\n'
          : `Interrupted: ${kept} of ${rows.length} results are in ${args.out}. Run the same command with --resume to continue.\n`,
      );
      return EXIT.interrupted;
    }
    throw explain(error, args.url, 'check');
  }
  progress.stop();
  const summary = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const rejected = args.rejects && bad.length > 0 ? `; ${bad.length} bad row(s) in ${args.rejects}` : '';
  io.stderr.write(`Done: ${rows.length} numbers (this run: ${summary || 'nothing left to check'})${rejected}.\n`);
  return EXIT.done;
}

function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      EXIT.badInput,
    );
  }
}
