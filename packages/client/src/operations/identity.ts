import type { Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { expectData, expectOk } from '../result.js';
import type { Identity, IdentityHash, WaId } from '../schemas.js';
import { pathSegment } from './path-segment.js';

export interface IdentityOperations {
  /** GET /v1/contacts/{wa_id}/identity: the user's latest identity hash. */
  getIdentity(waId: WaId): Promise<Identity>;
  /** PUT /v1/contacts/{wa_id}/identity: acknowledges the latest identity change; only the latest hash does. */
  acknowledgeIdentity(waId: WaId, hash: IdentityHash): Promise<void>;
}

const path = (waId: WaId) => ({ path: { wa_id: pathSegment(waId, 'waId') } });

export function identityOperations(api: Client<paths>): IdentityOperations {
  return {
    async getIdentity(waId) {
      return expectData(api.GET('/v1/contacts/{wa_id}/identity', { params: path(waId) }), (data) => data.contacts);
    },
    async acknowledgeIdentity(waId, hash) {
      return expectOk(api.PUT('/v1/contacts/{wa_id}/identity', { params: path(waId), body: { hash } }));
    },
  };
}
