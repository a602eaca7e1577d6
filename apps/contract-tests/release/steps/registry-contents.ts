// What Verdaccio holds of the published packages: their packuments, and the scope's storage folder.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { check, PUBLISHED } from '../context.js';
import type { Registry } from './start-registry.js';

export interface Packument {
  versions?: Record<string, { dist: { tarball: string; integrity: string } }>;
  'dist-tags'?: Record<string, string>;
}

export async function registryContents(registry: Registry) {
  const found: Record<string, Packument> = {};
  for (const name of PUBLISHED) {
    const response = await fetch(`${registry.url}${name.replace('/', '%2f')}`);
    if (response.status === 404) continue;
    check(response.ok, `GET ${name} from Verdaccio: HTTP ${response.status}`);
    found[name] = (await response.json()) as Packument;
  }
  // No @wa-contacts folder: nothing stored.
  const stored = await readdir(join(registry.storage, '@wa-contacts')).catch(() => [] as string[]);
  return { found, stored };
}
