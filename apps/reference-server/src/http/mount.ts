import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import type { Faults } from '../domain/faults.js';
import { missingParameter } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the security scheme of the route authenticated. */
    username: string;
  }
}

/** What every handler receives besides its request. */
export interface RequestContext {
  username: string;
}

/** One function per security scheme of the specs: returns the username or throws 1005. */
export type Authenticators = Record<string, (request: FastifyRequest) => Promise<string>>;

interface Route {
  readonly security: readonly string[];
}

type Handler = (request: unknown, context: RequestContext) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;

/**
 * Mounts the operations of one bundled spec: routes, request validation and response
 * serialisation come from the spec (via fastify-openapi-glue); each operationId is served by
 * the handler of the same name. Authentication runs in onRequest, before the body is parsed
 * or validated, so a request without valid credentials gets 401 whatever its body.
 */
export async function mountSpec(
  app: FastifyInstance,
  options: {
    spec: object;
    routes: Record<string, Route>;
    handlers: object;
    authenticators: Authenticators;
    /** Failures the sandbox armed; consulted after authentication, before the handler. */
    faults?: Faults | undefined;
  },
): Promise<void> {
  const { routes, handlers, authenticators, faults } = options;
  const { paths } = options.spec as { paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>> };
  await app.register(openapiGlue, {
    specification: structuredClone(options.spec),
    // glue fills method, url and schema in; the resolver gives the hooks and the handler.
    operationResolver: (operationId: string, method: string, openapiPath: string): RouteOptions => {
      const spec = routes[operationId];
      const bodyRequired = paths[openapiPath]?.[method.toLowerCase()]?.requestBody?.required === true;
      const handler = (handlers as Record<string, Handler>)[operationId];
      if (!spec || !handler) throw new Error(`No handler implements operation ${operationId}`);
      const scheme = spec.security[0];
      const authenticate = scheme === undefined ? undefined : authenticators[scheme];
      if (scheme !== undefined && !authenticate) throw new Error(`No authenticator for security scheme ${scheme}`);
      const options: Pick<RouteOptions, 'onRequest' | 'preValidation' | 'handler'> = {
        onRequest: async (request: FastifyRequest) => {
          if (authenticate) request.username = await authenticate(request);
        },
        // Fastify picks the body schema by Content-Type, so a request with neither a body nor
        // a Content-Type is not validated at all: a required body is checked here.
        preValidation: async (request: FastifyRequest) => {
          if (bodyRequired && request.body === undefined) throw missingParameter('The request body is required.');
        },
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          faults?.strike(operationId);
          const { body, params, query, headers } = request;
          const result = await handler.call(handlers, { body, params, query, headers }, { username: request.username });
          if (result.headers) reply.headers(result.headers);
          return reply.code(result.status).send(result.body);
        },
      };
      return options as RouteOptions;
    },
  });
}
