import type { Client } from 'openapi-fetch';
import type { components, paths } from '@wa-contacts/types';
import { expectData } from '../result.js';

export type Health = components['schemas']['HealthResponse']['health'];

export interface HealthOperations {
  /** GET /v1/health: the gateway status, e.g. `{ gateway_status: 'connected' }`. */
  health(): Promise<Health>;
}

export function healthOperations(api: Client<paths>): HealthOperations {
  return {
    async health() {
      return expectData(api.GET('/v1/health'), (data) => data.health);
    },
  };
}
