import { createServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Snapshot } from './domain/snapshot.js';
import { readSeed, SeedError } from './seed.js';

function banner(config: Config, url: string): string {
  const semantics =
    config.semantics === 'v2.41' ? 'up to v2.41: valid / invalid' : 'v2.43+: every readable number is valid';
  const firstLogin = config.admin.mustChangePassword
    ? `# first login of the factory account: set a new password\ncurl -s -u ${config.admin.username}:${config.admin.password} -X POST ${url}/v1/users/login -H 'Content-Type: application/json' -d '{"new_password":"Str0ng-Passw0rd!"}'`
    : `curl -s -u ${config.admin.username}:<password> -X POST ${url}/v1/users/login`;
  return [
    ``,
    `WhatsApp On-Premises /v1/contacts reference server on ${url}`,
    `  emulating ${config.apiVersion} (contacts ${semantics}), business number ${config.business.number}`,
    `  database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dataDir === 'memory' ? 'PGlite, throwaway (WA_DATA_DIR=memory: a temporary folder, deleted at exit)' : `PGlite in ${config.dataDir}`}`,
    `  sandbox: ${config.sandbox ? `on (${url}/sandbox/...)` : 'off'}`,
    ``,
    `Log in, then send the token as "Authorization: Bearer <token>":`,
    firstLogin,
    ``,
  ].join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  let seed: Snapshot | undefined;
  try {
    config = loadConfig();
    const seedFile = process.env.WA_SEED?.trim();
    if (seedFile) seed = await readSeed(seedFile);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SeedError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }

  const { app, log } = await createServer(config, { seed });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1); // a second signal means: now
    closing = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (process.send) {
    // Started by the bin (cli/bin.ts): its shutdown message may repeat the terminal's own signal.
    process.on('message', (message: { shutdown?: string }) => {
      if (message?.shutdown && !closing) shutdown(message.shutdown);
    });
    // The bin is gone (killed): no orphan server.
    process.on('disconnect', () => {
      if (!closing) shutdown('disconnect');
    });
  }

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url }, 'listening');
  process.stdout.write(`${banner(config, url)}\n`);
}

main().catch((error: unknown) => {
  console.error('The reference server could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
