import { readFile } from 'node:fs/promises';
import { createAjv } from './http/validation.js';
import type { Snapshot } from './domain/snapshot.js';
import { sandboxSpec } from './specs.js';

export class SeedError extends Error {}

/** A seed may leave lists and settings out: empty, the defaults. */
const EMPTY: Snapshot = {
  now: 0,
  settings: { show_security_notifications: false },
  accounts: [],
  inbound_messages: [],
  blocks: [],
  contact_checks: [],
  reports: [],
  misuse: { state: 'ok', warned_at: null, disabled_at: null, counts: [] },
};

/** The seed file (WA_SEED, --seed): a snapshot of GET /sandbox/snapshot, or part of one, checked against the spec's schema. */
export async function readSeed(path: string): Promise<Snapshot> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new SeedError(`${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SeedError(`${path}: a seed is a JSON object (a snapshot of GET /sandbox/snapshot)`);
  const seed = { ...EMPTY, ...parsed };
  const components = (sandboxSpec as unknown as { components: { schemas: Record<string, object> } }).components;
  const validate = createAjv({ allErrors: false }).compile<Snapshot>({ ...components.schemas.Snapshot, components });
  if (!validate(seed)) {
    const [error] = validate.errors ?? [];
    throw new SeedError(`${path}: ${error?.instancePath || '/'} ${error?.message ?? 'is not a snapshot'}`);
  }
  return seed;
}
