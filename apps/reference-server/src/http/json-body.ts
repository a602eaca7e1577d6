import type { FastifyInstance } from 'fastify';
import { invalidParameter } from '../errors.js';

/**
 * JSON bodies through Fastify's own parser (prototype-poisoning safe), with two leniencies
 * real clients need: an empty body counts as no body (`Content-Type: application/json` on
 * an unblock), and an operation that takes no body ignores whatever a client sends with
 * it (`fetch` labels an empty string `text/plain`). A body of another type on an operation
 * that takes one is refused with 1009.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  // Fastify also parses text/plain, whose string body would then skip JSON validation.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parse(request, body as string, done);
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (!request.routeOptions.schema?.body || (body as string).trim() === '') return done(null, undefined);
    done(
      invalidParameter(
        `Unsupported Content-Type ${request.headers['content-type'] ?? '(none)'}: send application/json.`,
      ),
    );
  });
}
