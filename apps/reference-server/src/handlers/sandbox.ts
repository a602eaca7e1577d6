import type { SandboxApiHandlers } from '@wa-contacts/server';
import type { Faults } from '../domain/faults.js';
import { MISUSE_WINDOW_DAYS, type MisuseRule } from '../domain/misuse.js';
import type { Sandbox } from '../domain/sandbox.js';
import type { Snapshots } from '../domain/snapshot.js';
import type { Meta } from '../http/meta.js';
import type { RateLimits } from '../http/rate-limit.js';
import type { RequestContext } from '../http/mount.js';

/** The simulated WhatsApp network: each operationId of spec/sandbox.yaml. */
export function createSandboxHandlers(
  sandbox: Sandbox,
  faults: Faults,
  meta: Meta,
  misuse: MisuseRule,
  snapshots: Snapshots,
  rateLimits: RateLimits | undefined,
): SandboxApiHandlers<RequestContext> {
  return {
    async registerAccount({ params, body }) {
      const identity = await sandbox.register(params.wa_id, body?.identity_hash);
      return {
        status: 200,
        body: {
          meta,
          account: {
            wa_id: params.wa_id,
            identity: {
              hash: identity.hash,
              created_timestamp: identity.createdAt,
              acknowledged: identity.acknowledged,
            },
          },
        },
      };
    },

    async deleteAccount({ params }) {
      await sandbox.remove(params.wa_id);
      return { status: 200, body: { meta } };
    },

    async changeIdentity({ params }) {
      return { status: 200, body: { meta, hash: await sandbox.changeIdentity(params.wa_id) } };
    },

    async receiveMessage({ body }) {
      return { status: 200, body: { meta, message_id: await sandbox.receive(body) } };
    },

    async sendMessage({ body }) {
      await misuse.gate();
      await sandbox.send(body.to);
      await misuse.countSent();
      return { status: 200, body: { meta, status: 'sent' } };
    },

    async advanceClock({ body }) {
      const now = await sandbox.advanceClock(body.advance_ms);
      // A warning's grace period may have ended: the rule is evaluated when the clock moves.
      await misuse.settle();
      return { status: 200, body: { meta, now } };
    },

    async injectFault({ body }) {
      const count = body.count ?? 1;
      faults.arm(body.operation_id, count);
      return { status: 200, body: { meta, operation_id: body.operation_id, count } };
    },

    async getMisuse() {
      const { checked, sent, state, warnedAt, disabledAt } = await misuse.evaluate();
      const times = {
        ...(warnedAt === null ? {} : { warned_at: warnedAt }),
        ...(disabledAt === null ? {} : { disabled_at: disabledAt }),
      };
      return { status: 200, body: { meta, checked, sent, window_days: MISUSE_WINDOW_DAYS, state, ...times } };
    },

    async resetMisuse() {
      await misuse.reset();
      return { status: 200, body: { meta } };
    },

    async refillRateLimits() {
      rateLimits?.refill();
      return { status: 200, body: { meta } };
    },

    async listWebhookCallbacks({ query }) {
      return { status: 200, body: { meta, callbacks: await sandbox.webhookCallbacks(query.limit ?? 100) } };
    },

    async redeliverWebhookCallback({ params }) {
      await sandbox.redeliver(params.id);
      return { status: 200, body: { meta } };
    },

    async exportSnapshot() {
      return { status: 200, body: { meta, snapshot: await snapshots.export() } };
    },

    async restoreSnapshot({ body }) {
      return { status: 200, body: { meta, now: await snapshots.restore(body) } };
    },

    async listReports() {
      const reports = await sandbox.reports();
      return {
        status: 200,
        body: {
          meta,
          reports: reports.map((r) => ({
            wa_id: r.waId,
            reason: r.reason,
            block: r.block,
            reported_at: r.reportedAt,
            messages: r.messages,
          })),
        },
      };
    },
  };
}
