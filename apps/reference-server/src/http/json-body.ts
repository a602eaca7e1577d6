import type { FastifyInstance } from 'fastify';

/**
 * JSON bodies through Fastify's own parser (prototype-poisoning safe), except that an empty
 * body counts as no body: clients send `Content-Type: application/json` on bodiless calls
 * such as unblock, and a required body is then reported as missing (1008), not malformed.
 * JSON is the only body the specs accept: Fastify's default text/plain parser would hand
 * handlers an unvalidated string (validation picks its schema by Content-Type), so it goes.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parse(request, body as string, done);
  });
}
