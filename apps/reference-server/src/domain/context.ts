import type { Clock } from '../clock.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../storage/index.js';
import type { PhoneNormalizer } from './phone.js';

/** What every domain service works with; built once at start-up. */
export interface ServerContext {
  config: Config;
  db: Database;
  clock: Clock;
  phones: PhoneNormalizer;
  log: FastifyBaseLogger;
}
