import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import openapiGlue from 'fastify-openapi-glue';
import type { OpenAPIV3 } from 'openapi-types';
import type { Faults } from '../domain/faults.js';
import { missingParameter } from '../errors.js';
import type { Limiter } from './rate-limit.js';

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

/** One per security scheme of the specs. */
export interface Authenticator {
  /** The username when the credentials are already known to be good, without waiting. */
  cached?(request: FastifyRequest): string | undefined;
  /** The username, or 1005. */
  verify(request: FastifyRequest): Promise<string>;
}
export type Authenticators = Record<string, Authenticator>;

interface Route {
  readonly security: readonly string[];
}

interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
type Handler = (request: unknown, context: RequestContext) => HandlerResult | Promise<HandlerResult>;

function send(reply: FastifyReply, result: HandlerResult): void {
  if (result.headers) reply.headers(result.headers);
  reply.code(result.status).send(result.body);
}

/**
 * Mounts the operations of one bundled spec: routes, request validation and response
 * serialisation come from the spec (via fastify-openapi-glue); each operationId is served by
 * the handler of the same name. Authentication runs in onRequest, before the body is parsed
 * or validated, so a request without valid credentials gets 401 whatever its body.
 */
export async function mountSpec(
  app: FastifyInstance,
  options: {
    spec: OpenAPIV3.Document;
    routes: Record<string, Route>;
    handlers: object;
    authenticators: Authenticators;
    /** Failures the sandbox armed; consulted after authentication, before the handler. */
    faults?: Faults | undefined;
    /** The rate limit of an operation, by `METHOD /path`; none when absent. */
    limiterFor?: ((label: string) => Limiter) | undefined;
  },
): Promise<void> {
  const { routes, handlers, authenticators, faults, limiterFor } = options;
  const { paths } = options.spec;
  await app.register(openapiGlue, {
    specification: structuredClone(options.spec),
    // glue fills method, url and schema in; the resolver gives the hooks and the handler.
    operationResolver: (operationId: string, method: string, openapiPath: string): RouteOptions => {
      const spec = routes[operationId];
      const requestBody = paths[openapiPath]?.[method.toLowerCase() as OpenAPIV3.HttpMethods]?.requestBody;
      const bodyRequired = requestBody !== undefined && !('$ref' in requestBody) && requestBody.required === true;
      const handler = (handlers as Record<string, Handler>)[operationId];
      if (!spec || !handler) throw new Error(`No handler implements operation ${operationId}`);
      const scheme = spec.security[0];
      const authenticate = scheme === undefined ? undefined : authenticators[scheme];
      if (scheme !== undefined && !authenticate) throw new Error(`No authenticator for security scheme ${scheme}`);
      // Callback hooks, not async ones: on the hot path (a known token, a body present) they
      // answer synchronously, with no promise per hook and request.
      const options: Pick<RouteOptions, 'onRequest' | 'preValidation' | 'handler'> = {
        // A handler that answers without a promise is sent at once, with none; a throw,
        // synchronous or not, reaches the error handler either way.
        handler: (request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined => {
          faults?.strike(operationId);
          const { body, params, query, headers } = request;
          const result = handler.call(handlers, { body, params, query, headers }, { username: request.username });
          if (result instanceof Promise) return result.then((answer) => send(reply, answer));
          send(reply, result);
          return undefined;
        },
      };
      const limit = limiterFor?.(`${method.toUpperCase()} ${openapiPath}`);
      if (authenticate || limit) {
        // The limit first: a flood of bad credentials is limited too.
        options.onRequest = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
          const refused = limit?.();
          if (refused) return done(refused);
          if (!authenticate) return done();
          const known = authenticate.cached?.(request);
          if (known !== undefined) {
            request.username = known;
            return done();
          }
          authenticate.verify(request).then((username) => {
            request.username = username;
            done();
          }, done);
        };
      }
      if (bodyRequired) {
        // Fastify picks the body schema by Content-Type, so a request with neither a body nor
        // a Content-Type is not validated at all: a required body is checked here.
        options.preValidation = (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) =>
          done(request.body === undefined ? missingParameter('The request body is required.') : undefined);
      }
      return options as RouteOptions;
    },
  });
}
