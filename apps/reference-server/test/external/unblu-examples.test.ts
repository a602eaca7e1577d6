import { createAjv, type OpenAPIV3 } from '@wa-contacts/test-kit/contract';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { START_TIMEOUT } from '../support/harness.js';
import {
  RECIPIENT,
  basic,
  describeExternal,
  eachFactoryServer,
  fill,
  outcome,
  printTable,
  readExternal,
  send,
  tokenOf,
  type Answer,
  type Row,
} from './third-party.js';

type Document = OpenAPIV3.Document;
type Schema = Record<string, unknown>;
/** unblu's document has no `$ref` in these places: a request body, a response, a media type's schema are objects. */
type Operation = OpenAPIV3.OperationObject & {
  operationId: string;
  requestBody?: OpenAPIV3.RequestBodyObject;
  responses: Record<string, OpenAPIV3.ResponseObject>;
};

/** unblu's operations on this node's surface: the users, application settings, contacts and health paths. */
const SURFACE = ['/users/login', '/users/logout', '/settings/application', '/contacts', '/health'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * unblu's known mistakes (SOURCES.md, ../shared/reference/webhooks.md), corrected in memory
 * where Meta's pages say otherwise, before the answers are checked against unblu's schemas:
 * - the contact statuses lack `failed` (Meta: processing, valid, invalid, failed);
 * - GET /settings/application answers the settings at the top level; Meta nests them under
 *   `settings.application` (checked there);
 * - `callback_backoff_delay_ms` and `max_callback_backoff_delay_ms` are strings, while its
 *   own example, Meta's collection and Meta's pages send integers;
 * - `webhooks.max_concurrent_requests` is an enum of strings with `format: int32`, where its
 *   own example and Meta's pages have the integers 6, 12, 18, 24;
 * - `media.auto_download`'s types are copied from a sentence (`image.` with its full stop) and
 *   lack `sticker`, which the server's default (every media type) includes.
 */
function correct(document: Document): Document {
  const fixed = structuredClone(document);
  const schemas = fixed.components!.schemas as Record<string, Schema>;
  const status = (schemas['Check-Contact'] as { properties: { status: { enum: string[] } } }).properties.status;
  status.enum.push('failed');
  const settings = (schemas['Application-Settings'] as { properties: Record<string, Schema> }).properties;
  for (const field of ['callback_backoff_delay_ms', 'max_callback_backoff_delay_ms'])
    settings[field] = { ...settings[field], type: 'integer', default: Number(settings[field]?.default) };
  const webhooks = schemas.Webhooks as { properties: { max_concurrent_requests: Schema } };
  webhooks.properties.max_concurrent_requests = { type: 'integer', enum: [6, 12, 18, 24] };
  const media = schemas.Media as { properties: { auto_download: { items: { enum: string[] } } } };
  const types = media.properties.auto_download.items.enum.map((type) => type.replace(/\.$/, ''));
  media.properties.auto_download.items.enum = [...types, 'sticker'];
  return fixed;
}

/** The request body example an operation documents: the media type's, else its schema's. */
function exampleOf(document: Document, operation: Operation): unknown {
  const media = operation.requestBody?.content['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const schema = media.schema as Schema | undefined;
  const ref = schema?.$ref as string | undefined;
  const schemas = document.components!.schemas as Record<string, Schema>;
  return ref ? schemas[ref.split('/').pop()!]?.example : schema?.example;
}

/**
 * unblu's order, except that LogoutUser (which revokes the token every other operation
 * sends) comes last.
 */
const runOrder = <T extends { operationId: string }>(operations: T[]): T[] =>
  [...operations].sort((a, b) => Number(a.operationId === 'LogoutUser') - Number(b.operationId === 'LogoutUser'));

/** Every documented example answers 2xx (the documented behaviour), and its body matches unblu's schema. */
const EXPECTED: Row[] = [
  ['LoginUser', 'POST', '/v1/users/login', '200 users'],
  ['GetApplicationSettings', 'GET', '/v1/settings/application', '200 settings'],
  ['ResetApplicationSettings', 'DELETE', '/v1/settings/application', '200'],
  ['UpdateApplicationSettings', 'PATCH', '/v1/settings/application', '200'],
  ['CheckContact', 'POST', '/v1/contacts', '200 contacts'],
  ['CheckHealth', 'GET', '/v1/health', '200 health'],
  ['LogoutUser', 'POST', '/v1/users/logout', '200'],
];

describeExternal("unblu's OpenAPI examples", () => {
  const original = parse(readExternal('unblu-openapi/openapi.yaml')) as Document;
  const document = correct(original);
  // The toolkit's Ajv (formats, options), given unblu's components under their own $id.
  const ajv = createAjv();
  ajv.addSchema({ components: document.components }, 'unblu');
  const schemaErrors = (schema: Schema | undefined, data: unknown): string[] => {
    if (!schema) return [];
    const ref = schema.$ref as string | undefined;
    const validate = ajv.compile(ref ? { $ref: `unblu${ref}` } : schema);
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
  const operations = Object.entries(document.paths)
    .filter(([path]) => SURFACE.includes(path))
    .flatMap(([path, item = {}]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((method) => ({ path, method, ...(item[method as OpenAPIV3.HttpMethods] as Operation) })),
    );

  eachFactoryServer((server, target) => {
    it(
      'answers the documented request example of every operation on the node, and each answer matches unblu’s schema',
      async () => {
        // unblu's server is http://example.com/v1: the base path is kept, the host is the test server's.
        const base = server.baseUrl + new URL(document.servers![0]!.url).pathname;
        // Its examples keep the collection's `{{Recipient-WA-ID}}`.
        const vars = { 'Recipient-WA-ID': RECIPIENT };
        let token = '';
        const table: Row[] = [];
        const mismatches: Record<string, string[]> = {};
        for (const op of runOrder(operations)) {
          const example = exampleOf(document, op);
          const body = example === undefined ? '' : fill(JSON.stringify(example), vars);
          const usesBasic = op.security?.some((s) => 'httpBasic' in s) ?? false;
          const headers: Record<string, string> = {
            // The first login sets the password (its example's new_password): the factory one.
            authorization: usesBasic ? `Basic ${basic('admin', 'secret')}` : `Bearer ${token}`,
            ...(body === '' ? {} : { 'content-type': 'application/json' }),
          };
          const url = new URL(base + op.path);
          const answer: Answer = await send({ method: op.method.toUpperCase(), url: url.href, headers, body });
          if (op.operationId === 'LoginUser') token = tokenOf(answer) ?? '';
          table.push([op.operationId, op.method.toUpperCase(), url.pathname, outcome(answer)]);
          const documented = op.responses[String(answer.status)]?.content?.['application/json']?.schema as
            | Schema
            | undefined;
          // Meta nests the settings (see correct()).
          const checked = op.operationId === 'GetApplicationSettings' ? nested(answer) : answer.body;
          const errors = answer.status < 300 ? schemaErrors(documented, checked) : [];
          if (errors.length > 0) mismatches[op.operationId] = errors;
        }
        printTable(`unblu's OpenAPI examples on ${target.name}:`, table);
        expect({ table, mismatches }).toEqual({ table: EXPECTED, mismatches: {} });
      },
      START_TIMEOUT,
    );
  });
});

const nested = (answer: Answer) => (answer.body?.settings as { application?: unknown } | undefined)?.application;
