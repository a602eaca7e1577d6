import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/**
 * The page may load nothing from outside the server: Redoc and the document are inlined,
 * its search runs in a blob: worker.
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

const TYPES = { json: 'application/json; charset=utf-8', yaml: 'application/yaml; charset=utf-8' } as const;

/** The pages: URL → the spec package's file. The sandbox's are served only where its routes are. */
export function servedPages(sandbox: boolean): Record<string, string> {
  return { '/docs': 'reference.html', ...(sandbox ? { '/docs/sandbox': 'sandbox-reference.html' } : {}) };
}

/** The documents: URL without its extension → the spec package's bundled file, without its extension. */
export function servedDocuments(sandbox: boolean): Record<string, string> {
  return {
    '/openapi': 'contacts',
    '/openapi/webhooks': 'webhooks',
    ...(sandbox ? { '/openapi/sandbox': 'sandbox' } : {}),
  };
}

/**
 * Outside the spec's API: `/` leads to `/docs` (the contacts API rendered by Redoc, built into
 * @wa-contacts/spec), `/docs/sandbox` is the sandbox's, and the bundled documents are served as
 * they are. No authentication: they are public in the spec package too.
 */
export function registerDocs(app: FastifyInstance, options: { sandbox: boolean }): void {
  app.get('/', (_request, reply) => reply.redirect('/docs', 302));
  for (const [url, file] of Object.entries(servedPages(options.sandbox))) {
    const page = readFileSync(require.resolve(`@wa-contacts/spec/${file}`));
    app.get(url, (_request, reply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', DOCS_CSP)
        .header('cache-control', 'no-cache')
        .send(page),
    );
  }
  for (const [url, name] of Object.entries(servedDocuments(options.sandbox))) {
    for (const ext of ['json', 'yaml'] as const) {
      const body = readFileSync(require.resolve(`@wa-contacts/spec/${name}.${ext}`));
      app.get(`${url}.${ext}`, (_request, reply) =>
        reply.header('content-type', TYPES[ext]).header('cache-control', 'no-cache').send(body),
      );
    }
  }
}
