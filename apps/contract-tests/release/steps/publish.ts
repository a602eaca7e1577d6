// Step 5: the release itself, `pnpm release` in the copy (build, `changeset version`, `changeset
// publish`), with RELEASE_SKIP_CHECKS=1 unless --full (CI's `npm test` ran the checks on this commit).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Context, type LocalPackage, PACKAGE_DIRS, PUBLISHED } from '../context.js';
import { pnpmEnv } from '../environment.js';
import { pnpm, runOk } from '../processes.js';
import { type Registry, registryEnv } from './start-registry.js';

export interface Published {
  /** Each package's version before the release. */
  before: Record<string, string>;
  /** Each package's version as changesets wrote it. */
  versions: Record<string, string>;
}

export const localPackage = async (ctx: Context, name: string): Promise<LocalPackage> =>
  JSON.parse(await readFile(join(ctx.work, PACKAGE_DIRS[name]!, 'package.json'), 'utf8')) as LocalPackage;

const versionsOf = async (ctx: Context) =>
  Object.fromEntries(await Promise.all(PUBLISHED.map(async (name) => [name, (await localPackage(ctx, name)).version])));

export async function publish(ctx: Context, registry: Registry): Promise<Published> {
  const before = await versionsOf(ctx);
  const { full } = ctx.options;
  const how = full ? ' (full)' : ' (RELEASE_SKIP_CHECKS=1)';
  ctx.log(
    `release: \`pnpm release\`${full ? ' (full: every check)' : ' with RELEASE_SKIP_CHECKS=1 (npm test ran the checks)'}`,
  );
  // Without the checks, the build reads the workspace's turbo cache (never writes it): outputs
  // of these same inputs, built by npm test. --full builds and tests everything anew.
  const skipChecks = {
    RELEASE_SKIP_CHECKS: '1',
    TURBO_CACHE_DIR: join(ctx.root, '.turbo', 'cache'),
    TURBO_CACHE: 'local:r',
  };
  const env = pnpmEnv(ctx, { ...registryEnv(registry), ...(full ? {} : skipChecks) });
  await runOk(ctx, `pnpm release${how}`, ...pnpm(ctx, ['release']), { cwd: ctx.work, env, prefix: '  │ release │ ' });
  return { before, versions: await versionsOf(ctx) };
}
