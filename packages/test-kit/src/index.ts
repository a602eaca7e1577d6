export { cleanEnv, SERVER_VARIABLES } from './env.js';
export { describeExit, spawnChild, stopAll, type Child, type Exit, type SpawnOptions } from './spawn.js';
export { waitForOutput, waitUntil } from './ready.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
export { retryOnAddressInUse } from './port.js';
export {
  REFERENCE_SERVER_INDEX_LOADED,
  REFERENCE_SERVER_READY,
  referenceServerMain,
  referenceServerNodeFlags,
  startReferenceServer,
  type ReferenceServerOptions,
} from './reference-server.js';
export { PRISM_READY, startPrism, type PrismOptions } from './prism.js';
export { freshDatabase, type FreshDatabase } from './database.js';
export * from './api.js';
