/**
 * What must never reach a client: a stack trace, the internals it names, or Fastify's own
 * error shape. One pattern set for every check (the union of what the reference server's
 * suite, the fuzzer and the Dredd hooks each looked for).
 */

export const LEAK_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  // A stack frame: "at fn (/path/file.js:1:2)", "at file:///x.js:3:4", "at node:internal/...:5:6".
  {
    name: 'a stack trace',
    pattern: /\bat (?:async )?(?:[^\s()]+ )?\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s()]*:\d+(?::\d+)?\)?/,
  },
  // Any "at <something>:line:column", whatever the path looks like.
  { name: 'a stack trace', pattern: /\bat .+:\d+:\d+\)?/ },
  // An error object serialized whole.
  { name: 'a stack trace', pattern: /"stack"/ },
];

/** Fastify's default error body: `{ statusCode, error, message }`. */
const isFastifyError = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  ['statusCode', 'error', 'message'].every((key) => Object.hasOwn(body, key));

/** Whether a fragment only repeats what the request sent (an input echoed back is no leak). */
function echoed(fragment: string, sent: readonly string[]): boolean {
  return sent.some((text) => text.includes(fragment) || text.includes(fragment.replace(/^at /, '')));
}

/**
 * The leaks in a response body: its raw text and, when it is JSON, the parsed value. `sent`:
 * the texts of the request (URL, decoded URL, body, header values).
 */
export function leakProblems(text: string, body: unknown, sent: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const { name, pattern } of LEAK_PATTERNS) {
    const found = pattern.exec(text);
    if (found && !echoed(found[0], sent)) {
      problems.push(`${name} in the body: ${found[0]}`);
      break;
    }
  }
  if (isFastifyError(body)) problems.push("Fastify's default error shape in the body");
  return problems;
}
