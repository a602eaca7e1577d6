// The reference server's sandbox API (a simulated WhatsApp network) as TypeScript.
export type { paths, components, operations } from './generated/sandbox.js';
