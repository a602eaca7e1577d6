/**
 * The variables the reference server reads (its README's Configuration table). A child never
 * inherits them from the test process: CI exports DATABASE_URL for the storage tests, and a
 * launcher that passed it on ran the bench's "PGlite" server on a shared PostgreSQL database.
 */
export const SERVER_VARIABLES = /^(WA_.*|DATABASE_URL|HOST|PORT|LOG_LEVEL)$/;

/**
 * `base` (process.env by default) without SERVER_VARIABLES, plus `overrides`: only what the
 * caller passes explicitly reaches the server. An override of `undefined` removes a variable.
 */
export function cleanEnv(
  overrides: Record<string, string | undefined> = {},
  base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !SERVER_VARIABLES.test(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
