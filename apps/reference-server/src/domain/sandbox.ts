import { randomBytes } from 'node:crypto';
import { ApiError, assertNoNul, invalidParameter, invalidPhoneNumber, notFound } from '../errors.js';
import {
  addClockOffset,
  deleteAccount,
  getInboundMessages,
  getSettings,
  insertInboundMessage,
  isBlocked,
  listReports,
  registerAccount,
  setNewIdentity,
} from '../storage/index.js';
import { currentIdentity, initialIdentityHash, type Identity } from './accounts.js';
import type { Broadcast } from './broadcast.js';
import type { ServerContext } from './context.js';

// Times go out with four-digit years, a token's expires_after 7 days ahead of the clock: the
// clock stops a week before the end of year 9999.
export const LATEST_CLOCK_MS = Date.UTC(9999, 11, 24, 23, 59, 59, 999);

const noAccount = (waId: string) =>
  notFound(`${waId} has no WhatsApp account: register it with PUT /sandbox/accounts/${waId}.`);

/** The simulated WhatsApp network: who is on it, who writes in, whose keys change, the clock. */
export class Sandbox {
  constructor(
    private readonly ctx: ServerContext,
    /** How this instance tells the others on the database of its clock moves (clock-sync.ts). */
    private readonly clockMoves: Broadcast,
  ) {}

  /** As the spec says: the given hash, or the number's stable one, acknowledged, as of now. */
  async register(waId: string, identityHash: string | undefined): Promise<Identity> {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction(async (tx) => {
      await registerAccount(tx, { waId, identityHash: identityHash ?? initialIdentityHash(waId), now });
      const identity = await currentIdentity(tx, waId, now);
      return identity!;
    });
  }

  async remove(waId: string): Promise<void> {
    await deleteAccount(this.ctx.db, waId, this.ctx.clock.now());
  }

  /** A new random identity hash that the business has not acknowledged. */
  async changeIdentity(waId: string): Promise<string> {
    const now = this.ctx.clock.now();
    return this.ctx.db.transaction(async (tx) => {
      if (!(await currentIdentity(tx, waId, now))) throw noAccount(waId);
      let hash: string;
      do hash = randomBytes(8).toString('base64');
      while (hash === initialIdentityHash(waId));
      await setNewIdentity(tx, { waId, identityHash: hash, now });
      return hash;
    });
  }

  /** An inbound message: the sender is engaged for 24 hours from now. */
  async receive(message: { from: string; text: string; id?: string | undefined }): Promise<string> {
    assertNoNul('text', message.text);
    assertNoNul('id', message.id);
    const now = this.ctx.clock.now();
    const id = message.id ?? randomBytes(21).toString('base64url');
    await this.ctx.db.transaction(async (tx) => {
      if (!(await currentIdentity(tx, message.from, now))) throw noAccount(message.from);
      if (!(await insertInboundMessage(tx, { id, waId: message.from, body: message.text, receivedAt: now }))) {
        throw invalidParameter(`A message with id ${id} was already received.`);
      }
    });
    return id;
  }

  /** What a real send would answer, without sending anything. */
  async send(to: string): Promise<void> {
    const n = this.ctx.phones.normalize(to);
    if (n.kind === 'failed') throw invalidPhoneNumber();
    const { db, clock } = this.ctx;
    const identity = await currentIdentity(db, n.waId, clock.now());
    if (!identity) throw new ApiError(400, 1013, `${n.waId} is not a WhatsApp user.`);
    if (await isBlocked(db, n.waId)) throw new ApiError(400, 1013, `${n.waId} is blocked by the business.`);
    if (!identity.acknowledged && (await getSettings(db)).showSecurityNotifications) {
      throw new ApiError(
        400,
        1028,
        `The identity of ${n.waId} changed; acknowledge it with PUT /v1/contacts/${n.waId}/identity before sending.`,
      );
    }
  }

  async advanceClock(ms: number): Promise<number> {
    const moved = await this.ctx.db.transaction(async (tx) => {
      const offset = await addClockOffset(tx, ms, { realNowMs: Date.now(), latestMs: LATEST_CLOCK_MS });
      // Heard at commit by every instance on this database, this one included (clock-sync.ts).
      return offset === undefined ? undefined : { offset, delivery: await this.clockMoves.send(tx, String(offset)) };
    });
    if (moved === undefined) {
      throw invalidParameter(
        `advance_ms ${ms} would move the clock past ${new Date(LATEST_CLOCK_MS).toISOString()}, the latest time it can show.`,
      );
    }
    // Right now, not when the notification comes in: the answer states the new time.
    this.ctx.clock.advanceTo(moved.offset);
    // Answered once every instance on the database runs on the new offset.
    await moved.delivery.confirmed();
    return this.ctx.clock.now();
  }

  async reports() {
    const reports = await listReports(this.ctx.db);
    const messages = new Map(
      (
        await getInboundMessages(
          this.ctx.db,
          reports.flatMap((r) => r.messageIds),
        )
      ).map((m) => [m.id, m]),
    );
    return reports.map((r) => ({
      ...r,
      messages: r.messageIds.flatMap((id) => {
        const m = messages.get(id);
        return m ? [{ id: m.id, text: m.body, received_at: m.receivedAt }] : [];
      }),
    }));
  }
}
