// Checks the five numbers of Meta's contacts example with the published @wa-contacts/client,
// prints what the server answered, and exits non-zero unless each one resolved to its wa_id.
//
//   WA_BASE_URL   where the API answers (default http://127.0.0.1:8080)
//   WA_USERNAME   default admin
//   WA_PASSWORD   the account's password (required)
//   WA_NEW_PASSWORD  set when the account must change its password at this first login
import { createContactsClient, WhatsAppApiError, type ContactCheckResult } from '@wa-contacts/client';

const EXPECTED: ReadonlyArray<{ input: string; waId: string }> = [
  { input: '16315551000', waId: '16315551000' },
  { input: '+1 631 555 1001', waId: '16315551001' },
  { input: '6315551002', waId: '16315551002' },
  { input: '+1 (631) 555-1004', waId: '16315551004' },
  { input: '1-631-555-1005', waId: '16315551005' },
];

const baseUrl = process.env.WA_BASE_URL ?? 'http://127.0.0.1:8080';
const password = process.env.WA_PASSWORD;
if (!password) {
  console.error('Set WA_PASSWORD to the password of the account (and WA_NEW_PASSWORD for a first login).');
  process.exit(2);
}
const newPassword = process.env.WA_NEW_PASSWORD;

const client = createContactsClient({
  baseUrl,
  credentials: {
    username: process.env.WA_USERNAME ?? 'admin',
    password,
    ...(newPassword ? { newPassword } : {}),
  },
});

function describe(result: ContactCheckResult | undefined): string {
  if (!result) return 'missing';
  // ResolvedContact (valid, processing) carries a wa_id; UnresolvedContact (invalid, failed) has none.
  return 'wa_id' in result ? `${result.status} ${result.wa_id}` : result.status;
}

let results: ContactCheckResult[];
try {
  results = await client.checkContacts(
    EXPECTED.map(({ input }) => input),
    { wait: true },
  );
} catch (error) {
  if (error instanceof WhatsAppApiError) {
    console.error(`The server refused the check: HTTP ${error.status}, code ${error.code ?? '-'} ${error.title ?? ''}`);
    process.exit(1);
  }
  throw error;
}

console.log(`Checked ${results.length} numbers on ${baseUrl} (blocking: wait)`);
const mismatches: string[] = [];
EXPECTED.forEach(({ input, waId }, index) => {
  const result = results[index];
  const ok = result?.input === input && result.status === 'valid' && result.wa_id === waId;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${input.padEnd(18)} → ${describe(result)}`);
  if (!ok) mismatches.push(`${input}: expected valid ${waId}, got ${describe(result)}`);
});
if (results.length !== EXPECTED.length) mismatches.push(`expected ${EXPECTED.length} results, got ${results.length}`);

if (mismatches.length > 0) {
  console.error(`\n${mismatches.length} mismatch(es):\n  ${mismatches.join('\n  ')}`);
  process.exit(1);
}
console.log(`All ${EXPECTED.length} numbers resolved to the expected wa_ids.`);
