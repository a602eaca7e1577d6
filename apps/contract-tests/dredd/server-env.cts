// What a reference server started for Dredd needs (run.cts's own, and the gate's):
// - a rate limit for the 429 plans: a bucket of 20 they empty cheaply, a token back every 10 s
//   so that Dredd's own request finds it empty with no wait (the hooks refill every bucket
//   through the sandbox before each transaction);
// - Meta's misuse rule enforced, for the checkContacts 403 plan to get a number disabled.
export const CONTRACT_SERVER_ENV = { WA_RATE_LIMIT: '0.1/20', WA_MISUSE_POLICY: 'enforce' } as const;
