import { isIP } from 'node:net';
import { invalidParameter } from '../../errors.js';

/** Hosts that never leave the machine: the only ones a callback may reach over plain http. */
function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Meta requires https; the emulator also takes http to a loopback host, for local receivers. */
export function assertWebhookUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter(`webhooks.url ${JSON.stringify(value)} is not an absolute URL.`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return;
  throw invalidParameter(`webhooks.url must be https, or http to a loopback host (localhost, 127.0.0.0/8, [::1]).`);
}
