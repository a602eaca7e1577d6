// Step 6: the five packages are in Verdaccio at the versions changesets wrote, with their
// tarballs intact and holding only what may ship (tarball.ts); nothing is proxied.
import { createHash } from 'node:crypto';
import { type Context, check, PUBLISHED } from '../context.js';
import { inspectTarball } from '../tarball.js';
import { localPackage, type Published } from './publish.js';
import { registryContents } from './registry-contents.js';
import type { Registry } from './start-registry.js';

export interface TarballSummary {
  files: number;
  bytes: number;
  top: Record<string, number>;
  paths: string[];
}

/** Each package's tarball, by name. */
export async function checkRegistry(
  ctx: Context,
  registry: Registry,
  { before, versions }: Published,
): Promise<Record<string, TarballSummary>> {
  const started = Date.now();
  const { found } = await registryContents(registry);
  const tarballs: Record<string, TarballSummary> = {};
  for (const name of PUBLISHED) {
    const version = versions[name]!;
    const packument = found[name];
    check(packument, `${name} is not in Verdaccio after the release`);
    check(version !== before[name], `${name}: changeset version left it at ${version}`);
    const release = packument.versions?.[version];
    check(
      release,
      `${name}@${version} is not in Verdaccio (it has ${Object.keys(packument.versions ?? {}).join(', ')})`,
    );
    const latest = packument['dist-tags']?.latest;
    check(latest === version, `${name}: dist-tag latest is ${latest}, not ${version}`);
    const { tarball, integrity } = release.dist;
    const response = await fetch(tarball);
    check(response.ok, `${name}: downloading ${tarball}: HTTP ${response.status}`);
    const tgz = Buffer.from(await response.arrayBuffer());
    const [algorithm = '', digest] = integrity.split('-');
    check(
      createHash(algorithm).update(tgz).digest('base64') === digest,
      `${name}: the tarball does not match its integrity ${integrity}`,
    );
    const inspected = inspectTarball({ name, version, tgz, localPackage: await localPackage(ctx, name), versions });
    check(inspected.problems.length === 0, `${name}@${version} tarball:\n    ${inspected.problems.join('\n    ')}`);
    tarballs[name] = { files: inspected.paths.length, bytes: tgz.length, top: inspected.top, paths: inspected.paths };
  }
  const thirdParty = await fetch(`${registry.url}typescript`);
  check(thirdParty.status === 404, `Verdaccio answered ${thirdParty.status} for typescript: it proxies to an uplink`);
  ctx.timed('registry + tarball checks', started);
  for (const [name, t] of Object.entries(tarballs)) {
    ctx.log(`  ✓ ${name}@${versions[name]}: ${t.files} files (${topList(t.top)}), ${(t.bytes / 1024).toFixed(1)} KiB`);
  }
  return tarballs;
}

export const topList = (top: Record<string, number>): string =>
  Object.entries(top)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
