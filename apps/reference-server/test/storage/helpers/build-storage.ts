import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Transpiles src/storage to plain JavaScript for child processes, which cannot load
 * TypeScript. It lands in <package>/.tmp/<random>/dist/storage with the migrations
 * beside dist as in a real build, so the child runs this very code, finds its
 * migrations the same way, and resolves pg and PGlite from the package's node_modules.
 */
export async function buildStorage(): Promise<{ entry: string; cleanup(): Promise<void> }> {
  await mkdir(join(PACKAGE_ROOT, '.tmp'), { recursive: true });
  const root = await mkdtemp(join(PACKAGE_ROOT, '.tmp', 'storage-build-'));
  const srcDir = join(PACKAGE_ROOT, 'src', 'storage');
  const outDir = join(root, 'dist', 'storage');
  for (const file of await readdir(srcDir, { recursive: true })) {
    if (!file.endsWith('.ts')) continue;
    const source = await readFile(join(srcDir, file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const out = join(outDir, file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
  await cp(join(PACKAGE_ROOT, 'migrations'), join(root, 'migrations'), { recursive: true });
  if (relative(PACKAGE_ROOT, root).startsWith('..')) throw new Error(`build escaped the package: ${root}`);
  return {
    entry: pathToFileURL(join(outDir, 'index.js')).href,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
