import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * On close, drops the connections that never sent a request (a browser's preconnect to /docs):
 * Node's close() waits for them until their keep-alive timeout (72 s), while it does close idle
 * ones that have served requests.
 */
export function closeFreshConnectionsOnClose(app: FastifyInstance): void {
  const fresh = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    fresh.add(socket);
    socket.once('close', () => fresh.delete(socket));
  });
  app.server.on('request', (request: { socket: Socket }) => fresh.delete(request.socket));
  app.addHook('preClose', (done) => {
    for (const socket of fresh) socket.destroy();
    done();
  });
}
