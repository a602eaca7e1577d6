// Step 4: with a generated file edited by hand, the full `pnpm release` must stop at the drift
// check, and Verdaccio must still hold no @wa-contacts package.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Context, check } from '../context.js';
import { pnpmEnv } from '../environment.js';
import { capture, pnpm, run } from '../processes.js';
import { registryContents } from './registry-contents.js';
import { type Registry, registryEnv } from './start-registry.js';

/** A bundled spec file that is published as it is (in @wa-contacts/spec). */
const TAMPERED = 'spec/bundled/contacts.yaml';

/** Returns the gate's one-line result. */
export async function gate(ctx: Context, registry: Registry): Promise<string> {
  ctx.log(`gate: ${TAMPERED} edited by hand; the full \`pnpm release\` must stop at the drift check`);
  const tampered = join(ctx.work, TAMPERED);
  await writeFile(tampered, `${await readFile(tampered, 'utf8')}# edited by hand instead of bundled from the spec\n`);
  const started = Date.now();
  const env = pnpmEnv(ctx, registryEnv(registry));
  const result = await run(...pnpm(ctx, ['release']), { cwd: ctx.work, env, prefix: '  │ gate │ ' });
  ctx.timed('gate: pnpm release (must fail)', started);
  check(result.code !== 0, 'gate: `pnpm release` exited 0 with a hand-edited generated file');
  check(
    result.output.includes('Drift:') && result.output.includes(TAMPERED),
    'gate: `pnpm release` failed, but not at the drift check naming the edited file',
  );
  check(
    !/release step \d+\/\d+: changeset (version|publish)/.test(result.output),
    'gate: the release reached changeset version/publish',
  );
  const { found, stored } = await registryContents(registry);
  check(
    Object.keys(found).length === 0 && stored.length === 0,
    `gate: Verdaccio holds @wa-contacts packages after a failed release: ${[...Object.keys(found), ...stored].join(', ')}`,
  );
  // Back to the committed snapshot (the drift check already regenerated the file in place).
  await capture('git', ['checkout', '--', '.'], ctx.work);
  const status = await capture('git', ['status', '--porcelain'], ctx.work);
  check(status.trim() === '', `gate: the copy is not clean after the gate:\n${status}`);
  const summary = `\`pnpm release\` exit ${result.code} at the drift check, 0 @wa-contacts packages in Verdaccio`;
  ctx.log(`gate: ✓ ${summary}`);
  return summary;
}
