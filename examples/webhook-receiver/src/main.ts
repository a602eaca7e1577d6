// The receiver as a program: WA_BASE_URL, WA_USERNAME and WA_PASSWORD say which node to
// acknowledge on; HOST and PORT where to listen (127.0.0.1:3000; PORT=0 takes a free one).
import type { AddressInfo } from 'node:net';
import { createContactsClient } from '@wa-contacts/client';
import { createWebhookReceiver } from './receiver.js';

const password = process.env.WA_PASSWORD;
if (!password) {
  console.error('WA_PASSWORD is required');
  process.exit(2);
}
const contacts = createContactsClient({
  baseUrl: process.env.WA_BASE_URL ?? 'http://127.0.0.1:8080',
  credentials: { username: process.env.WA_USERNAME ?? 'admin', password },
});
const receiver = createWebhookReceiver({
  contacts,
  onEvent(event, acknowledgement) {
    const what = event.kind === 'system' ? event.system.type : event.kind;
    const done = acknowledgement ? ` → acknowledged ${acknowledgement.hash} of ${acknowledgement.user}` : '';
    console.log(`${what}${done}`);
  },
});
receiver.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = receiver.address() as AddressInfo;
  console.log(`webhook receiver on http://${address}:${port}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => receiver.close());
