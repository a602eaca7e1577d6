import { describe, expectTypeOf, it } from 'vitest';
import { createContactsClient, type ContactCheckResult, type RetryOptions } from '../src/index.js';
import { checkAll, checkBatches, type CheckedBatch, type CheckProgress } from '../src/bulk.js';

describe('retries and the bulk helpers', () => {
  it('take retry as a boolean or options, and timeoutMs', () => {
    expectTypeOf(createContactsClient)
      .parameter(0)
      .toHaveProperty('retry')
      .toEqualTypeOf<boolean | RetryOptions | undefined>();
    expectTypeOf(createContactsClient).parameter(0).toHaveProperty('timeoutMs').toEqualTypeOf<number | undefined>();
    // @ts-expect-error retries is a number of attempts
    createContactsClient({ baseUrl: 'http://127.0.0.1', retry: { retries: 'many' } });
  });

  it('check lists into final results, batch by batch, with progress', () => {
    const client = createContactsClient({ baseUrl: 'http://127.0.0.1', token: 't', retry: true });
    expectTypeOf(checkAll(client, ['1'])).resolves.toEqualTypeOf<ContactCheckResult[]>();
    expectTypeOf(checkBatches(client, ['1'])).toEqualTypeOf<AsyncGenerator<CheckedBatch, void, undefined>>();
    checkAll(client, ['1'], { onProgress: (p) => expectTypeOf(p).toEqualTypeOf<CheckProgress>() });
    // Only checkContacts is needed: a stub will do.
    checkAll({ checkContacts: async () => [] }, ['1']);
  });
});
