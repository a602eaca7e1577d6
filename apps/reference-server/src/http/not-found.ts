import type { FastifyInstance } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { metaFor, type Meta } from './meta.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Unknown routes answer 404 with 1006. A known path with the wrong method answers 405 with
 * an `Allow` header (still 1006: WhatsApp has no code of its own for it).
 */
export function registerNotFound(
  app: FastifyInstance,
  specs: OpenAPIV3.Document[],
  meta: { api: Meta; sandbox: Meta },
): void {
  const routes = specs.flatMap((spec) =>
    Object.entries(spec.paths).map(([path, item]) => ({
      // One trailing slash, as the router ignores it (app.ts): a wrong method there is a 405 too.
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
      allow: METHODS.filter((m) => item?.[m] !== undefined).map((m) => m.toUpperCase()),
    })),
  );

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allow = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.allow))];
    const wrongMethod = allow.length > 0;
    if (wrongMethod) reply.header('allow', allow.join(', '));
    return reply.code(wrongMethod ? 405 : 404).send({
      meta: metaFor(meta, path),
      errors: [
        {
          code: 1006,
          title: 'Resource not found',
          details: wrongMethod
            ? `${request.method} is not allowed on ${path}; use ${allow.join(' or ')}.`
            : `Unknown path: ${request.method} ${path}`,
        },
      ],
    });
  });
}
