import { createRequire } from 'node:module';
import { bench, describe } from 'vitest';
// The server's serialiser and spec, as built (the package exports only the server factory).
import { compileSerializer, mergeObjectUnions } from '../../reference-server/dist/http/serialization.js';
import { contactsSpec } from '../../reference-server/dist/specs.js';

// The server's own copy of fast-json-stringify, for the item-by-item serialiser it used before.
const fastJson = createRequire(new URL('../../reference-server/package.json', import.meta.url))(
  'fast-json-stringify',
) as (schema: unknown) => (data: unknown) => string;

// The 200 response of POST /v1/contacts, its $refs resolved against the spec's components in the same document.
const schema = { $ref: '#/components/schemas/CheckContactsResponse', components: contactsSpec.components };
const server = compileSerializer(schema);
const itemByItem = fastJson(mergeObjectUnions(schema));

const results = (count: number) => ({
  meta: { api_status: 'stable', version: 'v2.45.1' },
  contacts: Array.from({ length: count }, (_, i) => {
    const line = String(i % 10_000).padStart(4, '0');
    return { input: `+1 (631) 555-${line}`, status: 'valid', wa_id: `1631555${line}` };
  }),
});

// Run with the server's young generation for figures like its own: NODE_OPTIONS=--max-semi-space-size=4.
for (const count of [100, 1_000, 10_000]) {
  describe(`a check response of ${count.toLocaleString('en-US')} results`, () => {
    const body = results(count);
    if (server(body) !== itemByItem(body)) throw new Error('the two serialisers write different JSON');
    bench('the server (JSON.stringify from 1,000 items)', () => {
      server(body);
    });
    bench('item by item (fast-json-stringify without the option)', () => {
      itemByItem(body);
    });
  });
}
