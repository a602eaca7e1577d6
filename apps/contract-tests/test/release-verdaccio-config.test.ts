// The Verdaccio config of `pnpm release:verdaccio` (release/steps/start-registry.ts), written with
// the yaml library: it must say what the hand-written YAML it replaced said, value for value.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { verdaccioConfig } from '../release/steps/start-registry.js';

/** The hand-written config the yaml library replaced (dir /tmp/v, port 4873). */
const HAND_WRITTEN = `storage: "/tmp/v/storage"
auth:
  htpasswd:
    file: "/tmp/v/htpasswd"
    max_users: 1
    algorithm: bcrypt
    rounds: 4
uplinks: {}
packages:
  '@wa-contacts/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
web:
  enable: false
server:
  keepAliveTimeout: 60
log: { type: stdout, format: pretty, level: warn }
listen: 127.0.0.1:4873
`;

describe('verdaccioConfig', () => {
  it('says what the hand-written config said: local @wa-contacts, no uplink, loopback only', () => {
    expect(parse(verdaccioConfig('/tmp/v', 4873))).toEqual(parse(HAND_WRITTEN));
  });

  it('quotes what YAML would misread (a scope pattern starting with @, a glob of stars)', () => {
    const config = parse(verdaccioConfig('/tmp/a dir: with #', 1)) as { storage: string; packages: object };
    expect(config.storage).toBe('/tmp/a dir: with #/storage');
    expect(Object.keys(config.packages)).toEqual(['@wa-contacts/*', '**']);
  });
});
