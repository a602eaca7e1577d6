import { afterAll, beforeAll, expect } from 'vitest';
import { START_TIMEOUT, startServer, type Harness } from '../support/harness.js';
import { lateBound } from '../support/late-bound.js';
import type { StorageInstance, StorageTarget } from '../support/storage-targets.js';
import { type Answer, type Receiver, startReceiver } from './receiver.js';

export interface WebhookServerOptions {
  /** The server's environment, over the harness's. */
  env?: Record<string, string>;
  /** What the receiver answers. */
  answer?: Answer;
  /** Application settings to PATCH once both run; webhooks.url is the receiver's. */
  settings?: { webhooks?: Record<string, unknown>; [field: string]: unknown };
}

/**
 * For a block of webhook tests: a server on a fresh place of `target` and a receiver on
 * loopback, started before the tests and stopped after them.
 */
export function useWebhookServer(
  target: StorageTarget,
  o: WebhookServerOptions = {},
): { h: Harness; receiver: Receiver } {
  let h: Harness | undefined;
  let storage: StorageInstance | undefined;
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    storage = await target.create();
    h = await startServer({ storage, env: o.env });
    receiver = await startReceiver(o.answer);
    if (o.settings) {
      const body = { ...o.settings, webhooks: { ...o.settings.webhooks, url: receiver.url } };
      const res = await h.api.call('updateApplicationSettings', { body } as never);
      expect(res.status, res.text).toBe(200);
    }
  }, START_TIMEOUT);
  afterAll(async () => {
    await h?.close();
    await receiver?.close();
    await storage?.cleanup();
  });
  return { h: lateBound(() => h, 'the server'), receiver: lateBound(() => receiver, 'the receiver') };
}
