import { DAY_MS } from '../clock.js';
import { ApiError } from '../errors.js';
import {
  addMisuseCounts,
  clearMisuseCounts,
  getMisuseState,
  MISUSE_SHARDS,
  type MisuseCounts,
  type MisuseState,
  type Queryable,
  setMisuseState,
  sumMisuseCounts,
} from '../storage/index.js';
import { Broadcast } from './broadcast.js';
import type { ServerContext } from './context.js';

export type MisusePolicy = 'off' | 'warn' | 'enforce';

/** Meta publishes no window: the sandbox clock's current UTC day and the six before it. */
export const MISUSE_WINDOW_DAYS = 7;
/** Meta's grace period between the warning and the disabling. */
export const MISUSE_GRACE_MS = 7 * DAY_MS;
/** Every instance sharing the database hears each state change here (payload: the state as JSON). */
export const MISUSE_CHANNEL = 'wa_contacts_misuse';

export type MisuseTransition = Omit<MisuseState, 'version'>;

export interface MisuseStatus extends MisuseCounts {
  state: MisuseState['state'];
  warnedAt: number | null;
  disabledAt: number | null;
}

/**
 * The rule, as of `now` with the window's counts: over it (more checked than sent) an `ok`
 * business is warned; back under it a warned one is `ok` again; under `enforce`, still over it
 * once the grace period has ended, it is disabled as of that end. Disabled stays disabled.
 */
export function nextMisuseState(
  current: MisuseTransition,
  { checked, sent }: MisuseCounts,
  now: number,
  policy: MisusePolicy,
): MisuseTransition {
  if (policy === 'off' || current.state === 'disabled') return current;
  if (checked <= sent) return { state: 'ok', warnedAt: null, disabledAt: null };
  if (current.state === 'ok' || current.warnedAt === null) return { state: 'warned', warnedAt: now, disabledAt: null };
  const graceEnd = current.warnedAt + MISUSE_GRACE_MS;
  if (policy === 'enforce' && now >= graceEnd) return { ...current, state: 'disabled', disabledAt: graceEnd };
  return current;
}

export const numberDisabled = (disabledAt: number) =>
  new ApiError(
    403,
    1031,
    `This phone number was disabled since ${new Date(disabledAt).toISOString()} for checking more contacts than it sent messages. Reset it with DELETE /sandbox/misuse.`,
  );

const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * Meta's misuse rule for the contacts node: the numbers checked must not outnumber the messages
 * sent. Counts are per-day rows in the database, so every instance on it counts into the same
 * window; the state is one row, evaluated under its lock whenever a count changes, the clock
 * moves or it is read, and each instance keeps a copy, told of every change through
 * LISTEN/NOTIFY, so that refusing a disabled number costs a cached check nothing.
 */
export class MisuseRule {
  private view: MisuseState = { state: 'ok', warnedAt: null, disabledAt: null, version: 0 };
  private readonly changes: Broadcast;
  /** The shard of the next count: in turn from a random start, so instances and connections spread. */
  private shard = Math.floor(Math.random() * MISUSE_SHARDS);
  /** settleCounted()'s read in flight, and the one after it that later callers share. */
  private settling: Promise<void> | undefined;
  private settleNext: Promise<void> | undefined;

  constructor(
    private readonly ctx: ServerContext,
    instance: string,
  ) {
    this.changes = new Broadcast(
      ctx.db,
      MISUSE_CHANNEL,
      instance,
      (payload) => {
        if (payload === null) this.refresh();
        else this.learn(JSON.parse(payload) as MisuseState);
      },
      (err) => ctx.log.error({ err }, 'following the misuse state failed'),
    );
  }

  /** Off without the sandbox: no message can be sent there, nor the state reset. */
  get policy(): MisusePolicy {
    return this.ctx.config.sandbox ? this.ctx.config.misusePolicy : 'off';
  }

  /** Starts following the other instances' changes (nothing to follow when off); returns the function that stops. */
  async follow(): Promise<() => Promise<void>> {
    if (this.policy === 'off') return async () => {};
    const stop = await this.changes.follow();
    // Listening before the first read: a change committed in between is not missed.
    this.learn(await getMisuseState(this.ctx.db));
    return stop;
  }

  /**
   * Counts inside the caller's transaction (nothing when off): its commit and the count are
   * one. Returns whether it counted: then settleCounted() once committed.
   */
  async record(q: Queryable, add: Partial<MisuseCounts>): Promise<boolean> {
    const count = this.nextCount();
    if (!count) return false;
    await addMisuseCounts(q, count.day, add, count.shard);
    return true;
  }

  /**
   * Where the next count goes, for a statement that counts itself (none when off): then
   * settleCounted() once committed, as after record().
   */
  nextCount(): { day: number; shard: number } | undefined {
    if (this.policy === 'off') return undefined;
    this.shard = (this.shard + 1) % MISUSE_SHARDS;
    return { day: dayOf(this.ctx.clock.now()), shard: this.shard };
  }

  /**
   * After counts committed: the window read again and the rule evaluated if they may change
   * the state. Read after the commit, not in the transaction: of transactions counting at once
   * (into other shards, unseen by each other) the last to read sees every count.
   */
  settleCounted(): Promise<void> {
    if (this.policy === 'off' || this.view.state === 'disabled') return Promise.resolve();
    // A read not yet started sees this caller's commit: counts committed meanwhile share it (one read, not one each).
    if (this.settleNext) return this.settleNext;
    if (!this.settling) return this.startSettling();
    const next = this.settling.then(() => {
      this.settleNext = undefined;
      return this.startSettling();
    });
    this.settleNext = next;
    return next;
  }

  private startSettling(): Promise<void> {
    const read = this.readAndSettle().finally(() => {
      if (this.settling === read) this.settling = undefined;
    });
    this.settling = read;
    return read;
  }

  private async readAndSettle(): Promise<void> {
    if (this.view.state === 'disabled') return;
    const today = dayOf(this.ctx.clock.now());
    let counts: MisuseCounts;
    try {
      counts = await sumMisuseCounts(this.ctx.db, today - (MISUSE_WINDOW_DAYS - 1), today);
    } catch (err) {
      this.ctx.log.error({ err }, 'reading the misuse counts failed');
      return;
    }
    // Checks can only warn an `ok` business, sends only bring a warned one back to `ok`; the
    // end of a grace period is seen by gate() and clock moves. A stale view is put right at the next read.
    const { state } = this.view;
    if (state === 'ok' ? counts.checked > counts.sent : state === 'warned' && counts.checked <= counts.sent)
      await this.settle();
  }

  /** A message sent: counted (nothing when off), then the rule evaluated if that may change it. */
  async countSent(): Promise<void> {
    if (await this.record(this.ctx.db, { sent: 1 })) await this.settleCounted();
  }

  /** Evaluates after a count changed; a failure is logged, not thrown: what was counted stands. */
  async settle(): Promise<void> {
    if (this.policy === 'off' || this.view.state === 'disabled') return;
    try {
      await this.evaluate();
    } catch (err) {
      this.ctx.log.error({ err }, 'evaluating the misuse rule failed');
    }
  }

  /**
   * Refuses (403, 1031) while the number is disabled under `enforce`; without a promise unless
   * the grace period of a warning has just ended, when the rule is evaluated first.
   */
  gate(): Promise<void> | undefined {
    if (this.policy !== 'enforce') return undefined;
    const { state, warnedAt, disabledAt } = this.view;
    if (state === 'disabled') throw numberDisabled(disabledAt ?? 0);
    if (state !== 'warned' || warnedAt === null || this.ctx.clock.now() < warnedAt + MISUSE_GRACE_MS) return undefined;
    return this.evaluate().then((status) => {
      if (status.state === 'disabled') throw numberDisabled(status.disabledAt ?? 0);
    });
  }

  /** The window's counts and the state as of now, evaluated first (a transition happens here too). */
  async evaluate(): Promise<MisuseStatus> {
    const { db, clock } = this.ctx;
    const { status, changed } = await db.transaction(async (tx) => {
      const current = await getMisuseState(tx, { forUpdate: true });
      const now = clock.now();
      const counts = await sumMisuseCounts(tx, dayOf(now) - (MISUSE_WINDOW_DAYS - 1), dayOf(now));
      const next = nextMisuseState(current, counts, now, this.policy);
      if (next.state === current.state && next.warnedAt === current.warnedAt) {
        return { status: { ...counts, ...current }, changed: undefined };
      }
      const stored = await setMisuseState(tx, next);
      return { status: { ...counts, ...stored }, changed: await this.announce(tx, stored) };
    });
    const { checked, sent, version, ...state } = status;
    // The row read under the lock is as new as anything heard: another instance's change is learnt here too.
    this.learn({ ...state, version });
    if (changed) {
      this.log(status);
      await changed.delivery.confirmed();
    }
    return { checked, sent, ...state };
  }

  /** Counts back to zero, state `ok`. */
  async reset(): Promise<void> {
    const changed = await this.ctx.db.transaction(async (tx) => {
      await getMisuseState(tx, { forUpdate: true });
      await clearMisuseCounts(tx);
      const stored = await setMisuseState(tx, { state: 'ok', warnedAt: null, disabledAt: null });
      return this.announce(tx, stored);
    });
    this.learn(changed.state);
    await changed.delivery.confirmed();
  }

  /**
   * Sets the state inside the caller's transaction (a snapshot's restore; its counts are written
   * with the other tables); returns what to run once it has committed.
   */
  async replaceIn(tx: Queryable, next: MisuseTransition): Promise<() => Promise<void>> {
    await getMisuseState(tx, { forUpdate: true });
    const changed = await this.announce(tx, await setMisuseState(tx, next));
    return async () => {
      this.learn(changed.state);
      await changed.delivery.confirmed();
    };
  }

  private async announce(tx: Queryable, state: MisuseState) {
    // Nobody listens when off: the change is only stored.
    const delivery =
      this.policy === 'off' ? { confirmed: async () => {} } : await this.changes.send(tx, JSON.stringify(state));
    return { state, delivery };
  }

  /** Keeps the newest state heard of: notifications and own answers may arrive in any order. */
  private learn(state: MisuseState): void {
    if (state.version >= this.view.version) this.view = state;
  }

  private refresh(): void {
    getMisuseState(this.ctx.db).then(
      (state) => this.learn(state),
      (err: unknown) => this.ctx.log.error({ err }, 'reading the misuse state failed'),
    );
  }

  private log({ checked, sent, state, warnedAt, disabledAt }: MisuseStatus): void {
    const fields = {
      misuse: { state, checked, sent, window_days: MISUSE_WINDOW_DAYS, warned_at: warnedAt, disabled_at: disabledAt },
    };
    if (state === 'warned') {
      const graceEnd = new Date((warnedAt ?? 0) + MISUSE_GRACE_MS).toISOString();
      const outcome =
        this.policy === 'enforce'
          ? `the number is disabled if it still is on ${graceEnd}`
          : 'WA_MISUSE_POLICY=warn never disables it';
      this.ctx.log.warn(
        fields,
        `misuse: ${checked} numbers checked but ${sent} messages sent over the last ${MISUSE_WINDOW_DAYS} days; ${outcome}`,
      );
    } else if (state === 'disabled') {
      this.ctx.log.error(fields, 'misuse: the phone number is disabled until DELETE /sandbox/misuse');
    } else {
      this.ctx.log.info(fields, 'misuse: back under the rule');
    }
  }
}
