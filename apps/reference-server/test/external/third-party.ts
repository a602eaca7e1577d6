import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it } from 'vitest';
import { NEW_PASSWORD, useServer } from '../support/harness.js';
import { lateBound } from '../support/late-bound.js';
import { eachStorage, pgliteMemory, postgres, type StorageTarget } from '../support/storage-targets.js';

/**
 * Third-party clients' requests (Meta's Postman collection, unblu's OpenAPI examples), read
 * from `../shared/external/` next to the repository (see its SOURCES.md): never edited there,
 * their placeholders are filled in memory here.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const EXTERNAL_DIR = process.env.WA_EXTERNAL_DIR ?? resolve(repoRoot, '../shared/external');

/** The sums SOURCES.md lists: a changed file is not the one the expected tables were written for. */
const SHA256: Record<string, string> = {
  'meta-postman-v2.23/collection.json': '6512d1287169f67675cc921b15ef99520f4ad723fbf35b6d49c671184ef82a07',
  'meta-postman-v2.23/environment.json': '5a299e96aca319173fbd27e49a5e00a2bb80e225001bd6e6c1251627b3b25598',
  'unblu-openapi/openapi.yaml': '7a5937fc6885f0281265ff94a31f931e1003c4c83d00ea3fb7cfc98ae01557be',
};

const externalSkipReason = Object.keys(SHA256).every((file) => existsSync(join(EXTERNAL_DIR, file)))
  ? null
  : `the third-party files are not in ${EXTERNAL_DIR} (set WA_EXTERNAL_DIR)`;

/**
 * describe() of a third-party suite. Without the files: skipped, saying why in its title, on a
 * developer's machine; failed under CI, where nothing is skipped silently.
 */
export function describeExternal(title: string, body: () => void): void {
  if (externalSkipReason === null) describe(title, body);
  // Its body is not run: it reads the files when the suite is collected.
  else if (process.env.CI)
    describe(title, () =>
      it('runs with the third-party files', () => {
        throw new Error(externalSkipReason);
      }),
    );
  else describe.skip(`${title} [skipped: ${externalSkipReason}]`, () => it('runs with the third-party files'));
}

export function readExternal(file: string): string {
  const bytes = readFileSync(join(EXTERNAL_DIR, file));
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (sum !== SHA256[file]) throw new Error(`${file}: sha256 ${sum}, SOURCES.md lists ${SHA256[file]}`);
  return bytes.toString('utf8');
}

/** The contact the examples check: every 1631555xxxx is on WhatsApp in the sandbox. */
export const RECIPIENT = '16315551000';
/** Webhook URLs must be https; nothing listens on port 9 of this host, and nothing is sent to it here. */
export const WEBHOOK_URL = 'https://127.0.0.1:9/whatsapp-webhook';

/**
 * The `<...>` placeholders a person replaces before sending, filled the way that person would:
 * only those of requests this node serves (the others are sent as written and answer 404).
 */
export const PLACEHOLDERS: Record<string, string> = {
  '<New Admin Password>': NEW_PASSWORD,
  '<Webhook URL, https>': WEBHOOK_URL,
  '<WA_ID of valid WhatsApp contact>': RECIPIENT,
};

/** Replaces `{{name}}` from vars and the known `<...>` placeholders; others stay as written. */
export function fill(text: string, vars: Record<string, string>): string {
  const filled = text.replace(/\{\{([^}]+)\}\}/g, (whole, name: string) => vars[name] ?? whole);
  return Object.entries(PLACEHOLDERS).reduce((out, [placeholder, value]) => out.split(placeholder).join(value), filled);
}

export const basic = (username: string, password: string) => Buffer.from(`${username}:${password}`).toString('base64');

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The raw body; '' is sent as an empty body (none on a GET). */
  body: string;
}

export interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/** Sends one request over a real socket, as the third-party client would. */
export async function send(request: Sent): Promise<Answer> {
  const bodyless = request.method === 'GET' || request.method === 'HEAD';
  const res = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(bodyless ? {} : { body: request.body }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

/** The outcome column of a result table: the status, then the first error code or the keys of the body besides `meta`. */
export function outcome(answer: Answer): string {
  const errors = answer.body?.errors as Array<{ code: number }> | undefined;
  if (errors?.[0]) return `${answer.status} ${errors[0].code}`;
  const keys = Object.keys(answer.body ?? {}).filter((key) => key !== 'meta');
  return [answer.status, ...keys].join(' ');
}

/** One row per request: name, method, path, outcome. */
export type Row = [name: string, method: string, path: string, outcome: string];

export function printTable(title: string, rows: Row[]): void {
  const width = (i: number) => Math.max(...rows.map((row) => row[i]!.length));
  const lines = rows.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(width(i)) : cell)).join('  '));
  console.log(`${title}\n${lines.join('\n')}`);
}

export const tokenOf = (answer: Answer) => (answer.body?.users as Array<{ token: string }> | undefined)?.[0]?.token;

/**
 * A describe block per storage target (PGlite in memory, PostgreSQL), each with a reference
 * server with the factory account (admin / secret, to change at first login) on a fresh place,
 * listening on 127.0.0.1 from beforeAll to afterAll; `server.baseUrl` is read in tests.
 */
export function eachFactoryServer(fn: (server: { readonly baseUrl: string }, target: StorageTarget) => void): void {
  eachStorage([pgliteMemory, postgres], (target) => {
    const h = useServer({ target, login: 'none', env: { WA_ADMIN_PASSWORD: 'secret' } });
    let running: { baseUrl: string } | undefined;
    beforeAll(async () => {
      running = { baseUrl: await h.server.app.listen({ host: '127.0.0.1', port: 0 }) };
    });
    fn(
      lateBound(() => running, 'the factory server'),
      target,
    );
  });
}
