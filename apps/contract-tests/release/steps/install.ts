// Step 2: the copy installed from the pnpm store (offline when the store has everything).
import type { Context } from '../context.js';
import { pnpmEnv } from '../environment.js';
import { pnpm, run, runOk } from '../processes.js';

export async function install(ctx: Context): Promise<void> {
  const env = pnpmEnv(ctx, { CI: 'true' });
  const started = Date.now();
  const command = (mode: string) => pnpm(ctx, ['install', '--frozen-lockfile', mode, '--reporter=append-only']);
  const offline = await run(...command('--offline'), { cwd: ctx.work, env });
  if (offline.code === 0) {
    ctx.timed('pnpm install --offline', started);
    return ctx.log('installed from the pnpm store (--offline)');
  }
  ctx.log('the store lacks something for --offline; installing with --prefer-offline');
  await runOk(ctx, 'pnpm install --prefer-offline', ...command('--prefer-offline'), { cwd: ctx.work, env });
}
