import type { components } from '@wa-contacts/types';

export type Meta = components['schemas']['Meta'];

/** `meta` for every response, built once: the API is stable, the sandbox experimental. */
export function createMeta(version: string): { api: Meta; sandbox: Meta } {
  return {
    api: Object.freeze({ api_status: 'stable', version }),
    sandbox: Object.freeze({ api_status: 'experimental', version }),
  };
}

export const metaFor = (meta: { api: Meta; sandbox: Meta }, url: string): Meta =>
  url.startsWith('/sandbox/') ? meta.sandbox : meta.api;
