#!/usr/bin/env node
// Compiles the spec's WebhookCallback schema into a standalone validator (Ajv's generated code,
// no Ajv at run time), so @wa-contacts/client/webhooks validates callbacks without a schema
// compiler in its bundle. Run by `pnpm generate`; the output is committed and checked for drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { callbacks as spec, createAjv } from '@wa-contacts/test-kit/contract';
import standaloneCode from 'ajv/dist/standalone/index.js';

const ROOT = 'WebhookCallback';

// The bundled document's #/components/schemas/X become #/definitions/X of one JSON schema,
// without the words (description, example) that the generated code would otherwise carry, and
// without discriminator mappings, which Ajv refuses (it reads each branch's `type` enum instead).
const DROPPED = new Set(['description', 'example', 'mapping']);
const definitions = JSON.parse(
  JSON.stringify(spec.components.schemas).replaceAll('"#/components/schemas/', '"#/definitions/'),
  (key, value) => (DROPPED.has(key) ? undefined : value),
);
const schema = { $id: 'webhook-callback', $ref: `#/definitions/${ROOT}`, definitions };

// The toolkit's Ajv (test-kit builds before this runs, turbo.json), with what standalone code needs.
const ajv = createAjv('strict', {
  // A message or system object is checked against the branch its `type` names, not all of them.
  discriminator: true,
  // String lengths count UTF-16 units (only minLength 1 is used): no run-time import of Ajv's
  // ucs2length helper. Ajv calls the option deprecated but still honours it.
  unicode: false,
  // NaN and Infinity are no numbers (the toolkit's strict: false would let them through).
  strictNumbers: true,
  code: { source: true, esm: true, lines: true },
});
ajv.addSchema(schema);
// One validator per kind of callback: the body's one array picks it, so the errors are about that kind only.
const code = standaloneCode.default(ajv, {
  validateMessagesCallback: 'webhook-callback#/definitions/WebhookMessagesCallback',
  validateStatusesCallback: 'webhook-callback#/definitions/WebhookStatusesCallback',
  validateErrorsCallback: 'webhook-callback#/definitions/WebhookErrorsCallback',
});
if (/\brequire\(/.test(code)) throw new Error('the standalone validator imports Ajv at run time');

const out = new URL('../src/generated/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('validate-callback.ts', out),
  [
    '// @ts-nocheck: Ajv standalone code, typed by ../webhooks/validator.ts.',
    `// Generated from the spec's ${ROOT} schema by packages/client/scripts/generate-webhook-validator.mjs.`,
    '// Do not edit: change the spec and run `pnpm generate`.',
    code,
    '',
  ].join('\n'),
);
console.log(`generated the ${ROOT} validator → src/generated/validate-callback.ts (${code.length} chars)`);
