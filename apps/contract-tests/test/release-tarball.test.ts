// The tarball check of `pnpm release:verdaccio` (release/tarball.ts): it must pass a clean
// package and name every kind of file or dependency that must not ship.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { filesPattern, inspectTarball, listTarball } from '../release/tarball.js';

/** A minimal ustar writer; names over 100 characters go through a pax header, as npm does. */
function tgz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  const header = (name: string, size: number, type: string) => {
    const block = Buffer.alloc(512);
    block.write(name.slice(0, 100), 0, 'utf8');
    block.write('0000644\0', 100);
    block.write('0000000\0', 108);
    block.write('0000000\0', 116);
    block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
    block.write('00000000000\0', 136);
    block.write('        ', 148);
    block.write(type, 156);
    block.write('ustar\0', 257);
    block.write('00', 263);
    const sum = block.reduce((total, byte) => total + byte, 0);
    block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    return block;
  };
  const pad = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  for (const [name, content] of Object.entries(files)) {
    if (name.length > 100) {
      const record = ` path=${name}\n`;
      let length = record.length + 2;
      length = record.length + String(length).length;
      const pax = Buffer.from(`${length}${record}`);
      blocks.push(header('PaxHeader', pax.length, 'x'), pad(pax));
    }
    const data = Buffer.from(content);
    blocks.push(header(name, data.length, '0'), pad(data));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

const manifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    name: '@wa-contacts/client',
    version: '0.2.0',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    types: './dist/index.d.ts',
    dependencies: { '@wa-contacts/types': '0.2.0', 'openapi-fetch': '0.17.0' },
    ...extra,
  });
const localPackage = { files: ['dist', 'src', '!src/**/*.test.ts'] };
const versions = { '@wa-contacts/client': '0.2.0', '@wa-contacts/types': '0.2.0' };
const clean = {
  'package/package.json': manifest(),
  'package/README.md': '# client',
  'package/LICENSE': 'MIT',
  'package/dist/index.js': 'export {}',
  'package/dist/index.d.ts': 'export {}',
  'package/src/index.ts': 'export {}',
  'package/src/operations/contacts.ts': 'export {}',
};
const inspect = (files: Record<string, string>) =>
  inspectTarball({ name: '@wa-contacts/client', version: '0.2.0', tgz: tgz(files), localPackage, versions });

describe('listTarball', () => {
  it('reads names, sizes and contents, long names included', () => {
    const long = `package/dist/${'deep/'.repeat(25)}index.js`;
    const entries = listTarball(tgz({ 'package/a.txt': 'hello', [long]: 'x' }));
    expect(entries.map((entry) => [entry.path, entry.size])).toEqual([
      ['package/a.txt', 5],
      [long, 1],
    ]);
    expect(entries[0]?.data.toString()).toBe('hello');
  });
});

describe('filesPattern', () => {
  it('reads package.json `files` entries the way npm does', () => {
    expect(filesPattern('dist').test('dist/index.js')).toBe(true);
    expect(filesPattern('dist/').test('dist/a/b.d.ts')).toBe(true);
    expect(filesPattern('dist').test('distribution/index.js')).toBe(false);
    expect(filesPattern('src/**/*.test.ts').test('src/a.test.ts')).toBe(true);
    expect(filesPattern('src/**/*.test.ts').test('src/a/b/c.test.ts')).toBe(true);
    expect(filesPattern('src/**/*.test.ts').test('src/a.ts')).toBe(false);
    expect(filesPattern('**/*.map').test('dist/index.js.map')).toBe(true);
  });
});

describe('inspectTarball', () => {
  it('passes a package with only package.json, README, LICENSE and its whitelisted files', () => {
    const result = inspect(clean);
    expect(result.problems).toEqual([]);
    expect(result.top).toEqual({ 'package.json': 1, 'README.md': 1, LICENSE: 1, 'dist/': 2, 'src/': 2 });
  });

  it('names tests, tsconfigs, node_modules, .tmp and files outside the whitelist', () => {
    const result = inspect({
      ...clean,
      'package/src/client.test.ts': '',
      'package/test/client.test.ts': '',
      'package/tsconfig.build.json': '{}',
      'package/node_modules/x/index.js': '',
      'package/.tmp/vitest.json': '{}',
      'package/dist/tsconfig.build.tsbuildinfo': '',
      'package/vitest.config.ts': '',
      'package/scripts/generate.mjs': '',
    });
    expect(result.problems).toEqual([
      'src/client.test.ts: a test file',
      'test/client.test.ts: a test folder',
      'tsconfig.build.json: a tsconfig',
      'node_modules/x/index.js: node_modules',
      '.tmp/vitest.json: .tmp',
      'dist/tsconfig.build.tsbuildinfo: a tsbuildinfo',
      'vitest.config.ts: a vitest config',
      'scripts/generate.mjs: not in the files whitelist ["dist","src","!src/**/*.test.ts"]',
    ]);
  });

  it('names a workspace: dependency, a stale internal version and a wrong name or version', () => {
    const result = inspect({
      ...clean,
      'package/package.json': manifest({
        version: '0.1.0',
        dependencies: { '@wa-contacts/types': 'workspace:*', 'openapi-fetch': '0.17.0' },
        peerDependencies: { '@wa-contacts/types': '0.1.0' },
        devDependencies: { '@wa-contacts/spec': 'workspace:*' },
      }),
    });
    expect(result.problems).toEqual([
      'package.json says @wa-contacts/client@0.1.0, expected @wa-contacts/client@0.2.0',
      'package.json dependencies.@wa-contacts/types = workspace:*',
      'package.json devDependencies.@wa-contacts/spec = workspace:*',
      'package.json peerDependencies.@wa-contacts/types = 0.1.0, not the released 0.2.0',
    ]);
  });

  it('names an exports target that is not in the tarball, and a missing package.json', () => {
    const { 'package/dist/index.d.ts': _types, ...withoutTypes } = clean;
    expect(inspect(withoutTypes).problems).toEqual(['./dist/index.d.ts (exports/types/main) is not in the tarball']);
    const { 'package/package.json': _manifest, ...withoutManifest } = clean;
    expect(inspect(withoutManifest).problems).toEqual(['no package/package.json']);
  });
});
