import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_TITLES } from '../errors.js';
import type { ConnectionRequests } from './connection-requests.js';
import type { Meta } from './meta.js';

/** How long a connection that was refused stays open for the client to read the answer. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before any route sees the
 * request (a bad request line, a control character in a header, headers over Node's limit,
 * a request not received in time) is answered in the errors envelope too, with 1009 (the
 * request as sent is not a valid one; WhatsApp has no code for HTTP itself), then the
 * connection closes.
 */
export function createClientErrorHandler(
  meta: Meta,
  timeouts: { headersMs: number; requestMs: number },
  requests: ConnectionRequests,
) {
  return (error: Error & { code?: string; reason?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || socket.destroyed) return;
    // A request already answered (its answer still going, or its body still coming) gets no second answer.
    if (!socket.writable || requests.answered(socket)) {
      socket.destroy();
      return;
    }
    const [status, details] = refusal(error, timeouts);
    const body = JSON.stringify({ meta, errors: [{ code: 1009, title: ERROR_TITLES[1009], details }] });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    // Destroying at once would reset a client still sending before it reads the answer.
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

function refusal(
  error: Error & { code?: string; reason?: string },
  timeouts: { headersMs: number; requestMs: number },
): [number, string] {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        `The request was not received in time: headers within ${timeouts.headersMs} ms, the whole request within ${timeouts.requestMs} ms.`,
      ];
    case 'HPE_HEADER_OVERFLOW':
      return [431, `The request headers are larger than ${maxHeaderSize} bytes.`];
    default:
      return [400, `The request is not valid HTTP/1.1: ${error.reason ?? error.message} (${error.code ?? 'unknown'}).`];
  }
}
