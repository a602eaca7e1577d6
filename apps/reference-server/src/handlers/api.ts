import type { ContactsApiHandlers } from '@wa-contacts/server';
import type { AuthService } from '../domain/auth.js';
import { formatExpiry } from '../domain/auth.js';
import type { ContactChecks } from '../domain/contacts.js';
import type { ContactModeration } from '../domain/contacts-of-business.js';
import type { Identities } from '../domain/identity.js';
import type { MisuseRule } from '../domain/misuse.js';
import type { Database } from '../storage/index.js';
import { getSettings, resetSettings, updateSettings } from '../storage/index.js';
import { assertWebhookUrl } from '../domain/webhooks/url.js';
import type { Meta } from '../http/meta.js';
import type { RequestContext } from '../http/mount.js';

export interface ApiServices {
  db: Database;
  auth: AuthService;
  checks: ContactChecks;
  identities: Identities;
  moderation: ContactModeration;
  misuse: MisuseRule;
  /** The business number, E.164 (config.business.number): the settings' read-only wa_id. */
  businessNumber: string;
}

/** The contacts node: each operationId of the spec, on the domain services. */
export function createApiHandlers(services: ApiServices, meta: Meta): ContactsApiHandlers<RequestContext> {
  const { auth, checks, identities, moderation, db, misuse } = services;
  const ok = { status: 200, body: { meta } } as const;
  // No gateway to lose: a node that answers is connected.
  const healthy = { status: 200, body: { meta, health: { gateway_status: 'connected' } } } as const;
  const businessWaId = services.businessNumber.replace(/^\+/, '');

  return {
    async login({ body, headers }, { username }) {
      const { token, expiresAt } = await auth.login(username, headers, body?.new_password);
      return { status: 200, body: { meta, users: [{ token, expires_after: formatExpiry(expiresAt) }] } };
    },

    async logout({ headers }) {
      await auth.logout(headers.authorization as string | undefined);
      return ok;
    },

    checkContacts({ body }) {
      const check = () => {
        const contacts = checks.check(body.contacts, {
          wait: body.blocking === 'wait',
          forceCheck: body.force_check ?? false,
        });
        // A cached check comes without a promise (see ContactChecks.check): none is added here.
        if (contacts instanceof Promise)
          return contacts.then((checked) => ({ status: 200 as const, body: { meta, contacts: checked } }));
        return { status: 200 as const, body: { meta, contacts } };
      };
      // A disabled number is refused (403, 1031) before anything is checked or counted.
      const gate = misuse.gate();
      return gate ? gate.then(check) : check();
    },

    async getIdentity({ params }) {
      const identity = await identities.get(params.wa_id);
      return {
        status: 200,
        body: {
          meta,
          contacts: { hash: identity.hash, created_timestamp: identity.createdAt, acknowledged: identity.acknowledged },
        },
      };
    },

    async acknowledgeIdentity({ params, body }) {
      await identities.acknowledge(params.wa_id, body.hash);
      return ok;
    },

    async blockContact({ params, body }) {
      await moderation.block(params.phone_number, body?.reason);
      return ok;
    },

    async unblockContact({ params }) {
      await moderation.unblock(params.phone_number);
      return ok;
    },

    async reportContact({ params, body }) {
      await moderation.report(params.phone_number, {
        reason: body?.reason,
        block: body?.block,
        messageId: body?.message_id,
      });
      return ok;
    },

    async getBlocklist({ query }) {
      // Validation fills the spec's defaults in; the fallbacks only satisfy the optional types.
      const limit = query.limit ?? 100;
      const offset = query.offset ?? 0;
      const { waIds, total } = await moderation.blocklist({ limit, offset });
      return {
        status: 200,
        body: {
          meta,
          contacts: waIds.map((waId) => ({ wa_id: `${waId}@s.whatsapp.net` })),
          pagination: { limit, offset, total },
        },
      };
    },

    health() {
      return healthy;
    },

    async getApplicationSettings() {
      const application = { ...(await getSettings(db)), wa_id: businessWaId };
      return { status: 200, body: { meta, settings: { application } } };
    },

    async updateApplicationSettings({ body }) {
      if (body.webhooks?.url) assertWebhookUrl(body.webhooks.url);
      await db.transaction((tx) => updateSettings(tx, body));
      return ok;
    },

    async resetApplicationSettings() {
      await resetSettings(db);
      return ok;
    },
  };
}
