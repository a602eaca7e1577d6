import type { IncomingMessage } from 'node:http';

/** The most of a refused body read before the answer goes (and the connection closes) anyway. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
export const DRAIN_LIMIT_MS = 5_000;

/**
 * An answer that refuses a body (413) closes the connection; sent while the client still
 * writes, the unread rest of the body resets the connection and the client sees EPIPE instead
 * of the answer. So the rest is read and dropped first, up to DRAIN_LIMIT_BYTES or
 * DRAIN_LIMIT_MS: the promise settles when the answer may go.
 */
export function drainRefusedBody(request: IncomingMessage): Promise<void> {
  if (request.readableEnded || request.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const finish = () => {
      clearTimeout(timer);
      request.off('data', count);
      request.off('end', finish);
      request.off('close', finish);
      resolve();
    };
    const count = (chunk: Buffer) => {
      read += chunk.length;
      if (read > DRAIN_LIMIT_BYTES) finish();
    };
    const timer = setTimeout(finish, DRAIN_LIMIT_MS).unref();
    request.on('data', count);
    request.once('end', finish);
    request.once('close', finish);
    request.resume();
  });
}
