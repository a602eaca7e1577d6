import type { Client } from 'openapi-fetch';
import type { paths } from '@wa-contacts/types';
import { expectData, expectOk } from '../result.js';
import type { ApplicationSettings, ApplicationSettingsPatch } from '../schemas.js';

export interface SettingsOperations {
  /** GET /v1/settings/application. */
  getApplicationSettings(): Promise<ApplicationSettings>;
  /** PATCH /v1/settings/application: changes the given settings, leaves the others. */
  updateApplicationSettings(patch: ApplicationSettingsPatch): Promise<void>;
  /** DELETE /v1/settings/application: every setting back to its default. */
  resetApplicationSettings(): Promise<void>;
}

export function settingsOperations(api: Client<paths>): SettingsOperations {
  return {
    async getApplicationSettings() {
      return expectData(api.GET('/v1/settings/application'), (data) => data.settings?.application);
    },
    async updateApplicationSettings(patch) {
      return expectOk(api.PATCH('/v1/settings/application', { body: patch }));
    },
    async resetApplicationSettings() {
      return expectOk(api.DELETE('/v1/settings/application'));
    },
  };
}
