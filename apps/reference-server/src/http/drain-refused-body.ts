import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** The most of a refused body read before the connection closes anyway. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
export const DRAIN_LIMIT_MS = 5_000;

/**
 * After an answer that refuses a body still being sent (413), Node closes the connection as
 * soon as the answer is written: the unread rest of the body then resets the connection, and
 * a client still writing sees EPIPE instead of the answer. The rest is read and dropped
 * first, up to DRAIN_LIMIT_BYTES or DRAIN_LIMIT_MS, then the connection closes.
 */
export function drainBeforeClose(request: IncomingMessage): void {
  const socket = request.socket as Socket | undefined;
  // An injected request (light-my-request) has a socket of its own make: nothing to drain.
  if (request.complete || !socket || socket.destroyed || typeof socket.destroySoon !== 'function') return;
  const close = socket.destroySoon.bind(socket);
  let closeAsked = false;
  let drained = false;
  let read = 0;
  const finish = () => {
    if (drained) return;
    drained = true;
    clearTimeout(timer);
    socket.off('data', count);
    if (closeAsked) close();
  };
  const count = (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_LIMIT_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_LIMIT_MS).unref();
  // Node calls destroySoon once the answer is written (res._last): wait for the body's end.
  socket.destroySoon = () => {
    closeAsked = true;
    if (drained) close();
  };
  socket.on('data', count);
  request.once('end', finish);
  socket.once('close', finish);
}
