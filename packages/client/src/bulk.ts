// @wa-contacts/client/bulk: checking lists of any length; its own entry keeps the main one small.
export { checkAll, checkBatches, MAX_CHECK_BATCH } from './operations/check-all.js';
export type { CheckAllOptions, CheckedBatch, CheckProgress } from './operations/check-all.js';
