// Step 7: examples/consumer copied out of the workspace, installed with npm (@wa-contacts from
// Verdaccio, the rest from the usual registry) with the published reference server as a
// devDependency, typechecked against the published types and compiled.
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Context, check } from '../context.js';
import { cleanEnv } from '../environment.js';
import { runOk } from '../processes.js';
import type { Registry } from './start-registry.js';

interface ConsumerManifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** Returns the consumer's folder. */
export async function installConsumer(
  ctx: Context,
  registry: Registry,
  versions: Record<string, string>,
): Promise<string> {
  const dir = join(ctx.tmp, 'consumer');
  await cp(join(ctx.root, 'examples/consumer'), dir, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)([\\/]|$)|package-lock\.json$/.test(source.slice(ctx.root.length)),
  });
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ConsumerManifest;
  const wanted = manifest.dependencies?.['@wa-contacts/client'];
  check(wanted, 'examples/consumer/package.json does not depend on @wa-contacts/client');
  const clientVersion = versions['@wa-contacts/client']!;
  if (wanted !== clientVersion)
    ctx.log(
      `consumer: @wa-contacts/client ${wanted} in examples/consumer → ${clientVersion}, the version just released`,
    );
  manifest.dependencies = { ...manifest.dependencies, '@wa-contacts/client': clientVersion };
  // What step 8 runs the sample against: `npx wa-contacts-server`, as a user of the packages would.
  manifest.devDependencies = {
    ...manifest.devDependencies,
    '@wa-contacts/reference-server': versions['@wa-contacts/reference-server']!,
  };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  // Only the scope goes to Verdaccio; typescript, openapi-fetch & co. come from the usual registry.
  await writeFile(join(dir, '.npmrc'), `@wa-contacts:registry=${registry.url}\n`);

  const options = { cwd: dir, env: cleanEnv(ctx.root), prefix: '  │ consumer │ ' };
  await runOk(
    ctx,
    'consumer: npm install',
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock'],
    options,
  );
  for (const name of ['@wa-contacts/client', '@wa-contacts/types', '@wa-contacts/reference-server']) {
    const installed = JSON.parse(await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8'));
    check(
      installed.version === versions[name],
      `consumer: installed ${name}@${installed.version}, expected ${versions[name]}`,
    );
  }
  await runOk(ctx, 'consumer: tsc --noEmit', 'npm', ['run', '--silent', 'typecheck'], options);
  await runOk(ctx, 'consumer: tsc (build)', 'npm', ['run', '--silent', 'build'], options);
  return dir;
}
