#!/usr/bin/env node
// Median time of a failed login, unknown user against known user with a wrong password, and
// how fast wrong passwords for one user are answered 401 at all, against a built server.
// Usage: node scripts/login-timing.mjs [path/to/dist/main.js]   (default: this package's dist)
import { startReferenceServer } from '@wa-contacts/test-kit';

const main = process.argv[2] ?? new URL('../dist/main.js', import.meta.url).pathname;
const ROUNDS = 41;
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeLogins(url, username, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const res = await fetch(`${url}/v1/users/login`, {
      method: 'POST',
      headers: { authorization: basic(username, `Wrong-${i}-Passw0rd!`) },
    });
    await res.text();
    times.push(performance.now() - start);
  }
  return times;
}

async function withServer(env, fn) {
  const server = await startReferenceServer({ main, env: { WA_ADMIN_PASSWORD: 'Timing-Passw0rd!', ...env } });
  try {
    return await fn(server.url);
  } finally {
    await server.stop();
  }
}

await withServer({ WA_RATE_LIMIT: 'off' }, async (url) => {
  await timeLogins(url, 'admin', 5); // warm-up
  const unknown = [];
  const known = [];
  // Interleaved, so a busy spell of the machine weighs on both alike.
  for (let i = 0; i < ROUNDS; i++) {
    unknown.push(...(await timeLogins(url, `nobody-${i}`, 1)));
    known.push(...(await timeLogins(url, 'admin', 1)));
  }
  console.log(
    `failed login, median of ${ROUNDS}: unknown user ${median(unknown).toFixed(1)} ms, known user ${median(known).toFixed(1)} ms`,
  );
});

await withServer({}, async (url) => {
  const statuses = {};
  const start = performance.now();
  for (let i = 0; i < 30; i++) {
    const res = await fetch(`${url}/v1/users/login`, {
      method: 'POST',
      headers: { authorization: basic('admin', `Wrong-${i}-Passw0rd!`) },
    });
    await res.text();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }
  console.log(
    `30 wrong passwords in a row (throttle as configured): ${JSON.stringify(statuses)} in ${(performance.now() - start).toFixed(0)} ms`,
  );
});
