import { protocol } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { FrontendMessages } from '../../src/storage/pglite-messages.js';

const { serialize } = protocol;

/** PGlite's own bytes for the same messages: the oracle. */
function pglite(statements: readonly [string, readonly (string | null)[]][]): Uint8Array {
  const parts = statements.flatMap(([statement, values]) => [
    serialize.bind({ statement, values: [...values] }),
    serialize.execute({}),
  ]);
  parts.push(serialize.sync());
  return new Uint8Array(Buffer.concat(parts));
}

const written = (messages: FrontendMessages, statements: readonly [string, readonly (string | null)[]][]) => {
  for (const [statement, values] of statements) messages.bindExecute(statement, values);
  return messages.sync();
};

describe('FrontendMessages', () => {
  const cases: [string, [string, (string | null)[]][]][] = [
    ['no parameters', [['s0', []]]],
    ['text, null and empty', [['s12', ['100', null, '', '14155550100']]]],
    ['non-ASCII (2, 3 and 4 UTF-8 bytes)', [['s3', ['é', '€ 5', '😀 and 𝄞', 'ｅｘｔ ٣']]]],
    [
      'three statements in one trip',
      [
        ['s1', []],
        ['s7', ['{1,2,3}', 'true']],
        ['s2', []],
      ],
    ],
    ['parameters larger than the buffer', [['s9', ['x'.repeat(10_000), '€'.repeat(5_000)]]]],
    ['multi-byte text near the end of the buffer', [['s5', ['a'.repeat(3_980), '€'.repeat(100)]]]],
    ['a statement past 64 kB, whose buffer is not kept', [['s8', ['y'.repeat(70_000)]]]],
  ];

  it.each(cases)('writes the bytes of PGlite’s serializers: %s', (_, statements) => {
    expect(written(new FrontendMessages(), statements)).toEqual(pglite(statements));
  });

  it('starts over after each sync, whatever came before', () => {
    const messages = new FrontendMessages();
    for (const [, statements] of [...cases, ...cases]) {
      expect(written(messages, statements)).toEqual(pglite(statements));
    }
  });

  it('hands out a buffer of its own each time', () => {
    const messages = new FrontendMessages();
    const first = written(messages, [['s1', ['a']]]);
    const copy = first.slice();
    written(messages, [['s2', ['b']]]);
    expect(first).toEqual(copy);
  });
});
