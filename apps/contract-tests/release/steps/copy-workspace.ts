// Step 1: the workspace (tracked and untracked-but-not-ignored files) copied to the temp dir and
// committed there, so that the release never touches the working tree it is run from.
import { copyFile, lstat, mkdir, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Context, PUBLISHED } from '../context.js';
import { capture } from '../processes.js';

export async function copyWorkspace(ctx: Context): Promise<void> {
  const { root, work } = ctx;
  const started = Date.now();
  const listing = await capture('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root);
  let copied = 0;
  for (const file of new Set(listing.split('\0').filter(Boolean))) {
    const stat = await lstat(join(root, file)).catch(() => undefined); // tracked but deleted: skipped
    if (!stat || stat.isDirectory()) continue; // a submodule or nested repository: not part of a release
    await mkdir(dirname(join(work, file)), { recursive: true });
    if (stat.isSymbolicLink()) await symlink(await readlink(join(root, file)), join(work, file));
    else await copyFile(join(root, file), join(work, file));
    copied += 1;
  }
  await ensureChangeset(ctx);
  const git = (args: string[]) => capture('git', args, work);
  await git(['init', '-q', '-b', 'main']);
  await git(['add', '-A']);
  const identity = ['-c', 'user.name=release test', '-c', 'user.email=release@localhost', '-c', 'commit.gpgsign=false'];
  await git([...identity, 'commit', '-q', '--no-verify', '-m', 'snapshot for the release test']);
  ctx.timed('copy + git commit', started);
  ctx.log(`copied ${copied} files of ${root} to ${work} and committed them there`);
}

/**
 * With no pending changeset (right after a release), `changeset version` would have nothing to do:
 * the copy gets a patch changeset of its own, so the publish is still exercised.
 */
async function ensureChangeset(ctx: Context): Promise<void> {
  const pending = (await readdir(join(ctx.work, '.changeset'))).filter((f) => f.endsWith('.md') && f !== 'README.md');
  if (pending.length > 0) return ctx.log(`pending changesets: ${pending.join(', ')}`);
  const bumps = PUBLISHED.map((name) => `'${name}': patch`).join('\n');
  const text = `---\n${bumps}\n---\n\nRelease test (no pending changeset in the workspace).\n`;
  await writeFile(join(ctx.work, '.changeset', 'release-test.md'), text);
  ctx.log('no pending changeset: the copy gets .changeset/release-test.md (a patch of the five packages)');
}
