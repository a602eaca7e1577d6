import { createRequire } from 'node:module';

// The bundled documents are the only source of routes, schemas and enums.
const require = createRequire(import.meta.url);

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

export const contactsSpec = require('@wa-contacts/spec/contacts.json') as OpenApiDocument;
export const sandboxSpec = require('@wa-contacts/spec/sandbox.json') as OpenApiDocument;
