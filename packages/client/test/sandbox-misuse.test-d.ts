import { describe, expectTypeOf, it } from 'vitest';
import { createSandboxClient, type MisuseStatus } from '../src/sandbox.js';

const sandbox = createSandboxClient({ baseUrl: 'http://127.0.0.1:8080', token: 't' });

describe('sandbox misuse helpers', () => {
  it('getMisuse gives the counts and the state, the times only where they apply', () => {
    expectTypeOf(sandbox.getMisuse()).resolves.toEqualTypeOf<MisuseStatus>();
    expectTypeOf<MisuseStatus>().toEqualTypeOf<{
      checked: number;
      sent: number;
      window_days: 7;
      state: 'ok' | 'warned' | 'disabled';
      warned_at?: number;
      disabled_at?: number;
    }>();
    expectTypeOf(sandbox.resetMisuse()).resolves.toEqualTypeOf<void>();
  });
});
