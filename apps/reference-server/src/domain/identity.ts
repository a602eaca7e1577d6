import { invalidParameter, notFound } from '../errors.js';
import { acknowledgeIdentity } from '../storage/index.js';
import { currentIdentity, type Identity } from './accounts.js';
import type { ServerContext } from './context.js';

const unknownUser = (waId: string) => notFound(`Unknown contact: ${waId} has no WhatsApp account.`);

/** GET / PUT /v1/contacts/{wa_id}/identity. */
export class Identities {
  constructor(private readonly ctx: ServerContext) {}

  async get(waId: string): Promise<Identity> {
    const identity = await currentIdentity(this.ctx.db, waId, this.ctx.clock.now());
    if (!identity) throw unknownUser(waId);
    return identity;
  }

  /** Only the latest hash acknowledges; an older or unknown one is 1009. */
  async acknowledge(waId: string, hash: string): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction(async (tx) => {
      const identity = await currentIdentity(tx, waId, now);
      if (!identity) throw unknownUser(waId);
      if (identity.hash !== hash) throw invalidParameter(`${hash} is not the latest identity hash of ${waId}.`);
      await acknowledgeIdentity(tx, { waId, identityHash: hash, now });
    });
  }
}
