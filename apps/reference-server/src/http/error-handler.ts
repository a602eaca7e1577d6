import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError, internalError, invalidParameter, missingParameter, notFound } from '../errors.js';
import { drainRefusedBody } from './drain-refused-body.js';
import { metaFor, type Meta } from './meta.js';

/** Turns every failure into the WhatsApp `errors` envelope; never a stack trace in a body. */
export function registerErrorHandler(app: FastifyInstance, meta: { api: Meta; sandbox: Meta }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error, request.body);
    if (apiError.code === 1014) request.log.error({ err: error }, 'unexpected failure');
    else request.log.debug({ code: apiError.code, details: apiError.details }, 'request refused');
    if (apiError.headers) reply.headers(apiError.headers);
    const answer = () =>
      reply.code(apiError.statusCode).send({
        meta: metaFor(meta, request.url),
        errors: [{ code: apiError.code, title: apiError.title, details: apiError.details }],
      });
    if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return answer();
    reply.header('connection', 'close');
    // Resolves to undefined once answered, so Fastify sends nothing more.
    return drainRefusedBody(request.raw).then(() => {
      answer();
    });
  });
}

function toApiError(error: FastifyError & { errors?: unknown[] }, body: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // Authentication failures raised in hooks keep their own code and details.
  if (error.errors?.[0] instanceof ApiError) return error.errors[0];
  if (error.validation) {
    const [first] = error.validation;
    const bodyAbsent = error.validationContext === 'body' && body === undefined;
    if (bodyAbsent) return missingParameter('The request body is required.');
    if (first?.keyword === 'required') return missingParameter(error.message);
    // Ajv's enum message does not say which values are allowed; the spec's enum does.
    const allowed =
      first?.keyword === 'enum' ? (first.params as { allowedValues?: unknown[] }).allowedValues : undefined;
    return invalidParameter(allowed ? `${error.message}: ${allowed.join(', ')}` : error.message);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 1009, 'Request body is larger than 1048576 bytes.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return invalidParameter('Unsupported Content-Type: send application/json.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidParameter(`The request body is not valid JSON: ${error.message}`);
  }
  if (error instanceof SyntaxError) return invalidParameter(`The request body is not valid JSON: ${error.message}`);
  const status = error.statusCode ?? 500;
  if (status === 404) return notFound(error.message);
  if (status >= 400 && status < 500) return new ApiError(400, 1009, error.message);
  return internalError();
}
