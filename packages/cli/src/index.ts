// @wa-contacts/cli's only module export: the exit codes, for programs that run `wa-contacts`.
export { EXIT } from './exit-codes.js';
