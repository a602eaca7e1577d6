export { createServer, type ReferenceServer, type ServerOptions } from './app.js';
export { loadConfig, ConfigError, CONFIG_DEFAULTS, type Config } from './config.js';
export { startReferenceServer, type StartOptions, type StartedReferenceServer } from './start.js';
