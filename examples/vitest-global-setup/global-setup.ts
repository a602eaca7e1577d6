import { startReferenceServer } from '@wa-contacts/reference-server';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    waBaseUrl: string;
    waCredentials: { username: string; password: string };
  }
}

/** Starts the reference server (throwaway database, a port the OS picks) before the tests; stops it after them. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A password of our own is final (the factory one must be changed at first login); the suite sends bursts.
  const server = await startReferenceServer({ adminPassword: 'Example-Passw0rd!', rateLimit: 'off' });
  project.provide('waBaseUrl', server.url);
  project.provide('waCredentials', server.admin);
  return () => server.close();
}
