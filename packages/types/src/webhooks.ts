// The callbacks the node POSTs to `webhooks.url` (spec/webhooks.yaml, On-Premises v2.45.1) as TypeScript.
export type { components, webhooks } from './generated/webhooks.js';
