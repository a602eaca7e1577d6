// What a published tarball may contain, checked entry by entry (the release's registry-check step).
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  /** The ustar type flag: '0' a file, '5' a folder... */
  type: string;
  size: number;
  data: Buffer;
}

/** The entries of a .tgz, following ustar prefixes and pax / GNU long names. */
export function listTarball(tgz: Buffer): TarEntry[] {
  const tar = gunzipSync(tgz);
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | null = null;
  const text = (start: number, length: number) => {
    const raw = tar.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = Number.parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48); // '\0' is an old-style regular file
    const prefix = text(offset + 345, 155);
    const name = text(offset, 100);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (path) longName = path[1]!;
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue;
    entries.push({ path: longName ?? (prefix ? `${prefix}/${name}` : name), type, size, data });
    longName = null;
  }
  return entries;
}

/** A `files` pattern of package.json (`dist`, `src/**\/*.test.ts`) as a RegExp on paths. */
export function filesPattern(glob: string): RegExp {
  const body = glob
    .replace(/^\.\//, '')
    .replace(/\/$/, '')
    .split('/')
    .map((part) =>
      part === '**'
        ? '\u0000'
        : part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
    )
    .join('/')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL marks where ** stood, a character no path holds
    .replace(/\/\u0000/g, '(?:/.*)?')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: as above
    .replace(/\u0000\//g, '(?:.*/)?')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: as above
    .replace(/\u0000/g, '.*');
  // A folder pattern takes everything under it, as npm does.
  return new RegExp(`^${body}(?:/.*)?$`);
}

/** Whatever a package's `files` says, none of this may ship. */
export const NEVER: [RegExp, string][] = [
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)\.tmp\//, '.tmp'],
  [/(^|\/)\.turbo\//, '.turbo'],
  [/(^|\/)(test|tests|__tests__)\//, 'a test folder'],
  [/\.(test|spec|test-d)\.[cm]?[jt]sx?$/, 'a test file'],
  [/(^|\/)tsconfig[^/]*\.json$/, 'a tsconfig'],
  [/\.tsbuildinfo$/, 'a tsbuildinfo'],
  [/(^|\/)vitest\.config\./, 'a vitest config'],
  [/(^|\/)\.(npmrc|env[^/]*)$/, 'an .npmrc/.env'],
  [/(^|\/)\.DS_Store$/, '.DS_Store'],
];
/** What npm and pnpm always pack, whatever `files` says. */
const ALWAYS = /^(package\.json|(README|LICEN[CS]E|CHANGELOG)(\.(md|txt))?)$/i;

export interface TarballInput {
  name: string;
  version: string;
  tgz: Buffer;
  localPackage: { files?: string[] };
  /** The versions just released, which the internal dependencies must name. */
  versions: Record<string, string>;
}

/** A package.json as far as the check reads it. */
export interface Manifest {
  name?: string;
  version?: string;
  exports?: unknown;
  [field: string]: unknown;
}

export interface Inspection {
  problems: string[];
  paths: string[];
  /** Files per top-level entry (`dist/`, `package.json`). */
  top: Record<string, number>;
  manifest: Manifest;
}

/** Checks a published tarball against the package.json it was packed from. */
export function inspectTarball({ name, version, tgz, localPackage, versions }: TarballInput): Inspection {
  const problems: string[] = [];
  const files = listTarball(tgz).filter((entry) => entry.type === '0' || entry.type === '\0');
  const include = (localPackage.files ?? []).filter((f) => !f.startsWith('!')).map(filesPattern);
  const exclude = (localPackage.files ?? []).filter((f) => f.startsWith('!')).map((f) => filesPattern(f.slice(1)));
  const paths: string[] = [];
  for (const entry of files) {
    if (!entry.path.startsWith('package/')) {
      problems.push(`${entry.path}: outside package/`);
      continue;
    }
    const path = entry.path.slice('package/'.length);
    paths.push(path);
    const never = NEVER.find(([pattern]) => pattern.test(path));
    if (never) problems.push(`${path}: ${never[1]}`);
    else if (!ALWAYS.test(path) && !(include.some((re) => re.test(path)) && !exclude.some((re) => re.test(path)))) {
      problems.push(`${path}: not in the files whitelist ${JSON.stringify(localPackage.files ?? [])}`);
    }
  }

  let manifest: Manifest = {};
  const manifestEntry = files.find((entry) => entry.path === 'package/package.json');
  if (!manifestEntry) problems.push('no package/package.json');
  else manifest = JSON.parse(manifestEntry.data.toString('utf8')) as Manifest;
  if (manifestEntry && (manifest.name !== name || manifest.version !== version)) {
    problems.push(`package.json says ${manifest.name}@${manifest.version}, expected ${name}@${version}`);
  }
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
      if (String(range).includes('workspace:')) problems.push(`package.json ${field}.${dependency} = ${range}`);
      else if (field !== 'devDependencies' && versions[dependency] && range !== versions[dependency]) {
        problems.push(`package.json ${field}.${dependency} = ${range}, not the released ${versions[dependency]}`);
      }
    }
  }

  // Every file the exports map (and `types`, `main`) points at must be in the tarball.
  const targets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) collect(inner);
  };
  collect(manifest.exports);
  for (const field of ['types', 'main', 'module']) {
    const target = manifest[field];
    if (typeof target === 'string') targets.push(target);
  }
  for (const target of new Set(targets)) {
    if (target.includes('*')) continue;
    if (!paths.includes(target.replace(/^\.\//, '')))
      problems.push(`${target} (exports/types/main) is not in the tarball`);
  }

  const top: Record<string, number> = {};
  for (const path of paths) {
    const key = path.includes('/') ? `${path.split('/')[0]}/` : path;
    top[key] = (top[key] ?? 0) + 1;
  }
  return { problems, paths, top, manifest };
}
