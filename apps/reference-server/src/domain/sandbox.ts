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
  listCallbacks,
  notify,
  redeliverCallback,
  setNewIdentity,
  type AppSettings,
  type Queryable,
} from '../storage/index.js';
import { currentIdentity, initialIdentityHash, type Identity } from './accounts.js';
import type { Broadcast } from './broadcast.js';
import type { ServerContext } from './context.js';
import { OUTBOX_CHANNEL, queueCallback } from './webhooks/events.js';
import {
  IDENTITY_CHANGE_TITLE,
  newMessageId,
  timestampOf,
  type Callback,
  type Status,
  type TextMessage,
} from './webhooks/payloads.js';

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
    /** This instance: it alone keeps the callbacks queued while callback_persist is off. */
    private readonly instance: string,
  ) {}

  /** Queues a webhook callback about contact in tx, the transaction of its event. */
  async #callback(tx: Queryable, settings: AppSettings, contact: string, callback: Callback, now: number) {
    await queueCallback(tx, settings, { contact, callback, now, instance: this.instance });
  }

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
      const settings = await getSettings(tx);
      // Meta calls identity changes back only to a business that asked for security notifications.
      if (settings.show_security_notifications) {
        const system = { type: 'user_identity_changed' as const, identity: hash, user: waId };
        const message = {
          from: waId,
          id: newMessageId(),
          timestamp: timestampOf(now),
          type: 'system' as const,
          system,
        };
        await this.#callback(tx, settings, waId, { messages: [message] }, now);
      }
      return hash;
    });
  }

  /** An inbound message: the sender is engaged for 24 hours from now. */
  async receive(message: {
    from: string;
    text: string;
    id?: string | undefined;
    profile_name?: string | undefined;
  }): Promise<string> {
    assertNoNul('text', message.text);
    assertNoNul('id', message.id);
    const now = this.ctx.clock.now();
    const id = message.id ?? randomBytes(21).toString('base64url');
    await this.ctx.db.transaction(async (tx) => {
      const identity = await currentIdentity(tx, message.from, now);
      if (!identity) throw noAccount(message.from);
      if (!(await insertInboundMessage(tx, { id, waId: message.from, body: message.text, receivedAt: now }))) {
        throw invalidParameter(`A message with id ${id} was already received.`);
      }
      const settings = await getSettings(tx);
      const inbound: TextMessage = {
        from: message.from,
        id,
        timestamp: timestampOf(now),
        type: 'text',
        text: { body: message.text },
      };
      if (settings.show_security_notifications) {
        inbound.identity = {
          acknowledged: identity.acknowledged,
          created_timestamp: identity.createdAt,
          hash: identity.hash,
        };
      }
      const contacts = [{ profile: { name: message.profile_name ?? message.from }, wa_id: message.from }];
      await this.#callback(tx, settings, message.from, { contacts, messages: [inbound] }, now);
    });
    return id;
  }

  /**
   * What a real send would answer, and the status callbacks it would cause (sent, then
   * delivered, as webhooks.message allows; failed with 480 for an unacknowledged identity change).
   */
  async send(to: string): Promise<void> {
    const n = this.ctx.phones.normalize(to);
    if (n.kind === 'failed') throw invalidPhoneNumber();
    const { db, clock } = this.ctx;
    const waId = n.waId;
    const now = clock.now();
    const identity = await currentIdentity(db, waId, now);
    if (!identity) throw new ApiError(400, 1013, `${waId} is not a WhatsApp user.`);
    if (await isBlocked(db, waId)) throw new ApiError(400, 1013, `${waId} is blocked by the business.`);
    const id = newMessageId();
    const status = (s: Status['status']): Callback => ({
      statuses: [{ id, recipient_id: waId, status: s, timestamp: timestampOf(now) }],
    });
    const refused = await db.transaction(async (tx) => {
      const settings = await getSettings(tx);
      if (!identity.acknowledged && settings.show_security_notifications) {
        const failed = status('failed') as { statuses: [Status] };
        failed.statuses[0].errors = [{ code: 480, title: IDENTITY_CHANGE_TITLE }];
        await this.#callback(tx, settings, waId, failed, now);
        return true;
      }
      if (settings.webhooks.message.sent) await this.#callback(tx, settings, waId, status('sent'), now);
      if (settings.webhooks.message.delivered) await this.#callback(tx, settings, waId, status('delivered'), now);
      return false;
    });
    if (refused) {
      throw new ApiError(
        400,
        1028,
        `The identity of ${waId} changed; acknowledge it with PUT /v1/contacts/${waId}/identity before sending.`,
      );
    }
  }

  /** The delivery log, newest first, with the payloads as sent. */
  async webhookCallbacks(limit: number) {
    const records = await listCallbacks(this.ctx.db, this.instance, limit);
    return records.map((r) => ({
      id: r.id,
      contact: r.contact,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      persisted: r.persisted,
      created_at: r.createdAt,
      delivered_at: r.deliveredAt,
      next_attempt_at: r.nextAttemptAt,
      attempts: r.attempts.map((a) => ({
        attempt: a.attempt,
        started_at: a.startedAt,
        duration_ms: a.durationMs,
        http_status: a.httpStatus,
        error: a.error,
      })),
    }));
  }

  async redeliver(id: number): Promise<void> {
    const found = await this.ctx.db.transaction(async (tx) => {
      if (!(await redeliverCallback(tx, id, this.ctx.clock.now(), this.instance))) return false;
      // Every instance's deliverer wakes up for it.
      await notify(tx, OUTBOX_CHANNEL, '');
      return true;
    });
    if (!found) throw notFound(`No webhook callback has the id ${id}: see GET /sandbox/webhooks.`);
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
