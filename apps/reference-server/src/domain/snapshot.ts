import type { components } from '@wa-contacts/types/sandbox';
import { assertNoNulIn, invalidParameter } from '../errors.js';
import {
  addClockOffset,
  getClockOffset,
  getMisuseState,
  getSettings,
  readSnapshotTables,
  replaceSnapshotTables,
  resetSettings,
  updateSettings,
} from '../storage/index.js';
import type { Broadcast } from './broadcast.js';
import type { ContactChecks } from './contacts.js';
import type { ServerContext } from './context.js';
import type { MisuseRule } from './misuse.js';
import { LATEST_CLOCK_MS } from './sandbox.js';

export type Snapshot = components['schemas']['Snapshot'];

/** The whole state as JSON (GET and PUT /sandbox/snapshot, --seed): users and tokens excepted. */
export class Snapshots {
  constructor(
    private readonly ctx: ServerContext,
    /** How this instance tells the others on the database of its clock moves (clock-sync.ts). */
    private readonly clockMoves: Broadcast,
    private readonly checks: ContactChecks,
    private readonly misuse: MisuseRule,
  ) {}

  async export(): Promise<Snapshot> {
    return this.ctx.db.transaction(async (tx) => {
      // One view of every table on PostgreSQL too, whatever commits meanwhile.
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const { misuse_counts, ...tables } = await readSnapshotTables(tx);
      const settings = await getSettings(tx);
      const misuse = await getMisuseState(tx);
      return {
        now: this.ctx.clock.now(),
        settings,
        ...tables,
        misuse: {
          state: misuse.state,
          warned_at: misuse.warnedAt,
          disabled_at: misuse.disabledAt,
          counts: misuse_counts,
        },
      };
    });
  }

  /** Replaces everything the snapshot holds, in one transaction; returns the clock after it. */
  async restore(snapshot: Snapshot): Promise<number> {
    check(snapshot);
    const { db, clock } = this.ctx;
    const { misuse, settings, now, ...tables } = snapshot;
    const { afterMisuse, moved } = await db.transaction(async (tx) => {
      await replaceSnapshotTables(tx, { ...tables, misuse_counts: misuse.counts });
      await resetSettings(tx);
      await updateSettings(tx, settings);
      const afterMisuse = await this.misuse.replaceIn(tx, {
        state: misuse.state,
        warnedAt: misuse.warned_at,
        disabledAt: misuse.disabled_at,
      });
      // The clock only moves forward (clock.ts): up to the snapshot's time, never back from a later one.
      const realNowMs = Date.now();
      const behind = now - (realNowMs + (await getClockOffset(tx)));
      if (behind <= 0) return { afterMisuse, moved: undefined };
      const offset = await addClockOffset(tx, behind, { realNowMs, latestMs: LATEST_CLOCK_MS });
      return {
        afterMisuse,
        moved: offset === undefined ? undefined : { offset, delivery: await this.clockMoves.send(tx, String(offset)) },
      };
    });
    this.checks.forgetCached();
    if (moved) {
      clock.advanceTo(moved.offset);
      await moved.delivery.confirmed();
    }
    await afterMisuse();
    return clock.now();
  }
}

/** What the schema cannot say: no key twice, no U+0000, a clock it can show. */
function check(snapshot: Snapshot): void {
  if (snapshot.now > LATEST_CLOCK_MS)
    throw invalidParameter(
      `now must not be after ${new Date(LATEST_CLOCK_MS).toISOString()}, the latest time the clock can show.`,
    );
  unique(
    'accounts',
    snapshot.accounts.map((a) => a.wa_id),
  );
  unique(
    'inbound_messages',
    snapshot.inbound_messages.map((m) => m.id),
  );
  unique(
    'blocks',
    snapshot.blocks.map((b) => b.wa_id),
  );
  unique(
    'contact_checks',
    snapshot.contact_checks.map((c) => c.wa_id),
  );
  unique(
    'misuse.counts',
    snapshot.misuse.counts.map((c) => String(c.day)),
  );
  assertNoNulIn('', snapshot);
}

function unique(list: string, keys: readonly string[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw invalidParameter(`${list} has ${key} twice.`);
    seen.add(key);
  }
}
