// What a reference server started for Dredd needs (run.cts's own, and the gate's):
// - a rate limit for the 429 plans: a bucket of 20 they empty cheaply, refilled at 2/s so that
//   Dredd's own request still finds it empty 500 ms after a plan took the last token;
// - Meta's misuse rule enforced, for the checkContacts 403 plan to get a number disabled.
export const CONTRACT_SERVER_ENV = { WA_RATE_LIMIT: '2/20', WA_MISUSE_POLICY: 'enforce' } as const;
