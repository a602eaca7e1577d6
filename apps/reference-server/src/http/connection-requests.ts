import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
}

/** The request each connection carries now, learnt from the HTTP server's public 'request' event. */
export class ConnectionRequests {
  readonly #current = new WeakMap<Socket, Exchange>();

  watch(server: Server): void {
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      this.#current.set(request.socket, { request, response }),
    );
  }

  /** Whether an answer has begun on this connection and its exchange is not over (answer or body still going). */
  answered(socket: Socket): boolean {
    const exchange = this.#current.get(socket);
    if (!exchange?.response.headersSent) return false;
    return !exchange.response.writableFinished || !exchange.request.complete;
  }
}
