import { connect } from 'node:net';

export interface RawAnswer {
  /** Everything the server wrote before it closed (or before `limitMs`). */
  text: string;
  status: number | undefined;
  headers: Record<string, string>;
  body: unknown;
  /** Whether the server closed the connection (a reset counts) within `limitMs`. */
  closed: boolean;
}

/**
 * Writes `parts` on a raw TCP connection to 127.0.0.1:port, `intervalMs` apart, stopping once
 * the server closes; resolves with what it answered when it closes, or after `limitMs`.
 */
export function rawExchange(
  port: number,
  parts: readonly (string | Buffer)[],
  options: { intervalMs?: number; limitMs: number },
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(limit);
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks).toString('utf8'), closed));
    };
    const limit = setTimeout(done, options.limitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset ends the exchange like a close
    socket.on('close', () => {
      closed = true;
      done();
    });
    let next = 0;
    const write = () => {
      if (next >= parts.length || socket.destroyed || !socket.writable) return;
      socket.write(parts[next++]!);
      timer = setTimeout(write, options.intervalMs ?? 0);
    };
    socket.on('connect', write);
  });
}

function parse(text: string, closed: boolean): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body: unknown;
  try {
    body = end < 0 ? undefined : JSON.parse(text.slice(end + 4));
  } catch {
    body = text.slice(end + 4);
  }
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
  return { text, status: status === undefined ? undefined : Number(status), headers, body, closed };
}
