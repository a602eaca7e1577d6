// Step 3: Verdaccio 6 on 127.0.0.1 (temp storage; nothing proxied), and a user for the publish token.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type RunningServer, retryOnAddressInUse, startServer, waitUntil } from '@wa-contacts/test-kit';
import { stringify } from 'yaml';
import { type Context, check, Failure } from '../context.js';
import { cleanEnv } from '../environment.js';

export interface Registry {
  url: string;
  /** Verdaccio's storage folder: what a failed release must leave empty. */
  storage: string;
  /** The .npmrc with the registry and the publish token. */
  npmrc: string;
  server: RunningServer;
}

/** Verdaccio's config: @wa-contacts is local only, and no uplink at all, so nothing leaks to npmjs. */
export function verdaccioConfig(dir: string, port: number): string {
  const access = { access: '$all', publish: '$authenticated' };
  return stringify({
    storage: join(dir, 'storage'),
    // bcrypt's default 10 rounds cost ~250 ms per authenticated request of the publish.
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 1, algorithm: 'bcrypt', rounds: 4 } },
    uplinks: {},
    packages: { '@wa-contacts/*': { ...access, unpublish: '$authenticated' }, '**': access },
    web: { enable: false },
    server: { keepAliveTimeout: 60 },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
    listen: `127.0.0.1:${port}`,
  });
}

export async function startRegistry(ctx: Context, onStarted: (server: RunningServer) => void): Promise<Registry> {
  const dir = join(ctx.tmp, 'verdaccio');
  const storage = join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  const manifest = createRequire(import.meta.url).resolve('verdaccio/package.json');
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  const started = Date.now();
  // Verdaccio 6 cannot take port 0 and say which port it got (it prints its configured address
  // before it listens): a port picked here, and another one should it be taken meanwhile.
  const server = await retryOnAddressInUse(async (port) => {
    await writeFile(join(dir, 'config.yaml'), verdaccioConfig(dir, port));
    const url = `http://127.0.0.1:${port}/`;
    return startServer({
      name: 'verdaccio',
      command: process.execPath,
      args: [join(dirname(manifest), 'bin', 'verdaccio'), '--config', join(dir, 'config.yaml')],
      cwd: dir,
      env: cleanEnv(ctx.root),
      ready: (child) =>
        waitUntil(child, async () => (await fetch(`${url}-/ping`)).ok && url, {
          timeoutMs: 60_000,
          what: 'answer on /-/ping',
        }),
    });
  }).catch((error: Error) => {
    throw new Failure(error.message);
  });
  onStarted(server);
  const npmrc = join(ctx.tmp, 'release.npmrc');
  const token = await createUser(server.url);
  const host = new URL(server.url).host;
  await writeFile(
    npmrc,
    `registry=${server.url}\n@wa-contacts:registry=${server.url}\n//${host}/:_authToken=${token}\n`,
  );
  ctx.timed('verdaccio start + user', started);
  ctx.log(`Verdaccio ${version} on ${server.url} (storage ${storage}), user "release" created, token in ${npmrc}`);
  return { url: server.url, storage, npmrc, server };
}

/** A user, and its token, through the registry's own API (what `npm adduser` does). */
async function createUser(url: string): Promise<string> {
  const response = await fetch(`${url}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      _id: 'org.couchdb.user:release',
      name: 'release',
      password: randomBytes(12).toString('base64url'),
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = (await response.json()) as { token?: string };
  check(
    response.status === 201 && body.token,
    `creating the Verdaccio user: HTTP ${response.status} ${JSON.stringify(body)}`,
  );
  return body.token;
}

/** The environment of a release in the copy: every registry setting points at Verdaccio. */
export const registryEnv = (registry: Registry): Record<string, string> => ({
  npm_config_userconfig: registry.npmrc,
  npm_config_registry: registry.url,
  'npm_config_@wa-contacts:registry': registry.url,
});
