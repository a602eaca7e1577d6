// The contract as TypeScript: `paths` for openapi-fetch and other generators, `components`
// for the schemas, `operations` by operationId.
export type { paths, components, operations, webhooks, $defs } from './generated/contacts.js';
