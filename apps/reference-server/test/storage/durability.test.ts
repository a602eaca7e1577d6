import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { buildStorage } from './helpers/build-storage.js';
import { eachTarget, type Instance } from './helpers/targets.js';

const WRITER = fileURLToPath(new URL('./fixtures/durability-writer.mjs', import.meta.url));
const ACKS_BEFORE_KILL = 300;
const ROUNDS = 3;

let build: Awaited<ReturnType<typeof buildStorage>>;
beforeAll(async () => {
  build = await buildStorage();
}, 60_000);
afterAll(() => build?.cleanup());

interface Run {
  acked: string[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer and SIGKILLs it once it has acknowledged enough writes. */
function writeUntilKilled(instance: Instance, prefix: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, build.entry, JSON.stringify(instance.options), prefix], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (acked.length >= ACKS_BEFORE_KILL) child.kill('SIGKILL');
    });
    child.on('error', reject);
    // 'close' waits for stdout to drain, so acks printed just before the kill count too.
    child.on('close', (_code, signal) => resolve({ acked, signal, stderr }));
  });
}

eachTarget(
  (target) => {
    it(`keeps every acknowledged write across ${ROUNDS} kill -9s, and no half transaction`, async () => {
      const instance = await target.create();
      try {
        const allAcked: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const run = await writeUntilKilled(instance, `r${round}`);
          expect(run.stderr).toBe('');
          expect(run.signal).toBe('SIGKILL'); // killed mid-stream, not finished or crashed
          expect(run.acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
          allAcked.push(...run.acked);

          const db = await openDatabase(instance.options);
          try {
            const inbound = new Set(
              (await db.query<{ id: string }>('SELECT id FROM inbound_messages')).map((r) => r.id),
            );
            const blocked = new Set(
              (await db.query<{ waId: string }>('SELECT wa_id AS "waId" FROM blocks')).map((r) => r.waId),
            );
            expect(allAcked.filter((id) => !inbound.has(id))).toEqual([]);
            // Odd writes were transactions of both inserts: all or nothing, acknowledged or not.
            const oddInbound = [...inbound].filter((id) => Number(id.split('-')[1]) % 2 === 1).sort();
            expect([...blocked].sort()).toEqual(oddInbound);
          } finally {
            await db.close();
          }
        }
        expect(allAcked.length).toBeGreaterThanOrEqual(ROUNDS * ACKS_BEFORE_KILL);
      } finally {
        await instance.cleanup();
      }
    }, 180_000);
  },
  (target) => target.persistent,
);
