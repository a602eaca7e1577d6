// The workspace's one contract toolkit. It is ESM with a top-level await and these hooks are
// CommonJS (Dredd requires them), so beforeAll loads it once with import().
type Toolkit = typeof import('@wa-contacts/test-kit/contract');

let loaded: Toolkit | undefined;

export async function loadContract(): Promise<Toolkit> {
  loaded ??= await import('@wa-contacts/test-kit/contract');
  return loaded;
}

/** The toolkit, once loadContract() has resolved. */
export function contract(): Toolkit {
  if (!loaded) throw new Error('the contract toolkit is not loaded yet: beforeAll loads it');
  return loaded;
}
