import { HOUR_MS } from '../clock.js';
import { assertNoNul, invalidParameter, invalidPhoneNumber, notEngaged } from '../errors.js';
import { blockEngaged, blocklistPage, fileReport, unblockContact } from '../storage/index.js';
import type { ServerContext } from './context.js';

const ENGAGEMENT_WINDOW_MS = 24 * HOUR_MS;
const REPORTED_MESSAGES = 5;

/** Blocking, unblocking, the blocklist and reports: what the business does to a contact. */
export class ContactModeration {
  constructor(private readonly ctx: ServerContext) {}

  /** The wa_id a phone number in a path stands for, or Meta's 1009. */
  resolve(phoneNumber: string): string {
    const n = this.ctx.phones.normalize(phoneNumber);
    if (n.kind === 'failed') throw invalidPhoneNumber();
    return n.waId;
  }

  async block(phoneNumber: string, reason: string | undefined): Promise<void> {
    assertNoNul('reason', reason);
    const waId = this.resolve(phoneNumber);
    const now = this.ctx.clock.now();
    const engaged = await blockEngaged(
      this.ctx.db,
      { waId, reason: reason ?? null, blockedAt: now },
      now - ENGAGEMENT_WINDOW_MS,
    );
    if (!engaged) throw notEngaged();
  }

  /** Unblocking a contact that is not blocked succeeds: Meta documents no error for it. */
  async unblock(phoneNumber: string): Promise<void> {
    await unblockContact(this.ctx.db, this.resolve(phoneNumber));
  }

  async report(
    phoneNumber: string,
    options: { reason?: string | undefined; block?: boolean | undefined; messageId?: string | undefined },
  ): Promise<void> {
    assertNoNul('reason', options.reason);
    assertNoNul('message_id', options.messageId);
    const waId = this.resolve(phoneNumber);
    const now = this.ctx.clock.now();
    const outcome = await fileReport(this.ctx.db, {
      waId,
      reason: options.reason ?? null,
      block: options.block ?? false,
      reportedAt: now,
      messageId: options.messageId,
      lastMessages: REPORTED_MESSAGES,
      engagedSince: now - ENGAGEMENT_WINDOW_MS,
    });
    if (outcome === 'not engaged') throw notEngaged();
    if (outcome === 'no such message') {
      throw invalidParameter(`message_id ${options.messageId} is not a message from ${waId}.`);
    }
  }

  async blocklist(page: { limit: number; offset: number }): Promise<{ waIds: string[]; total: number }> {
    // The spec puts no maximum on offset, so any JSON integer is valid (1e300 too), but
    // PostgreSQL's OFFSET is a bigint: past any possible total the page is empty all the same.
    const offset = Math.min(page.offset, Number.MAX_SAFE_INTEGER);
    return blocklistPage(this.ctx.db, { limit: page.limit, offset });
  }
}
