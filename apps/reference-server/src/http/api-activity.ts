import type { FastifyInstance } from 'fastify';
import type { ApiPriority } from '../domain/webhooks/api-priority.js';

/** Tells `priority` of every request to the API (/v1); the sandbox simulates the network, not the business's use. */
export function registerApiActivity(app: FastifyInstance, priority: ApiPriority): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.startsWith('/v1/')) priority.apiRequest();
    done();
  });
}
