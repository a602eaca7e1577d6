import { createRequire } from 'node:module';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import type { OpenAPIV3 } from 'openapi-types';

/**
 * The two bundled OpenAPI 3.0 documents of `@wa-contacts/spec`, as published (`bundled`, with
 * `$ref`s, for JSON pointers and Ajv's `$id`s) and dereferenced once (`dereferenced`, every
 * `$ref` replaced by what it names, for reading operations and schemas as plain objects).
 */

const require = createRequire(import.meta.url);

export type DocumentName = 'contacts' | 'sandbox';
export const DOCUMENT_NAMES: readonly DocumentName[] = ['contacts', 'sandbox'];

export const bundled: Readonly<Record<DocumentName, OpenAPIV3.Document>> = {
  contacts: require('@wa-contacts/spec/contacts.json') as OpenAPIV3.Document,
  sandbox: require('@wa-contacts/spec/sandbox.json') as OpenAPIV3.Document,
};

/** A copy of `document` with every `$ref` replaced by (the same object as) what it names. */
export async function dereferenceDocument(document: OpenAPIV3.Document): Promise<OpenAPIV3.Document> {
  // dereference() rewrites its argument in place: the bundled form must stay as it is.
  return (await dereference(structuredClone(document) as object)) as OpenAPIV3.Document;
}

/** The OpenAPI 3.1 document of the callbacks the node POSTs to `webhooks.url` (no paths; its schemas). */
export const callbacks: Readonly<object> = require('@wa-contacts/spec/webhooks.json') as object;
export const CALLBACKS_ID = 'webhooks.json';

export const dereferenced: Readonly<Record<DocumentName, OpenAPIV3.Document>> = {
  contacts: await dereferenceDocument(bundled.contacts),
  sandbox: await dereferenceDocument(bundled.sandbox),
};

/** `$id` of each bundled document in the toolkit's Ajv instances. */
export const documentId = (name: DocumentName) => `${name}.json`;

const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** A JSON pointer (`#/paths/~1v1~1contacts/post`) from its segments. */
export const pointerOf = (...segments: Array<string | number>) =>
  `#/${segments.map((s) => escapeSegment(String(s))).join('/')}`;
