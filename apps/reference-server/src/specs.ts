import { createRequire } from 'node:module';
import type { OpenAPIV3 } from 'openapi-types';

// The bundled documents are the only source of routes, schemas and enums.
const require = createRequire(import.meta.url);

export const contactsSpec = require('@wa-contacts/spec/contacts.json') as OpenAPIV3.Document;
export const sandboxSpec = require('@wa-contacts/spec/sandbox.json') as OpenAPIV3.Document;
