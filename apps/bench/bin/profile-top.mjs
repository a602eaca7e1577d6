// The top of a V8 CPU profile (node --cpu-prof): self time per function and per package.
// usage: node bin/profile-top.mjs <file.cpuprofile> [rows] [last-seconds]
// With last-seconds, only the samples of the profile's last seconds count (the timed
// window, without the start-up and set-up before it).
import { readFileSync } from 'node:fs';

const [file, rowsArg, lastArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bin/profile-top.mjs <file.cpuprofile> [rows] [last-seconds]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

// Sample counts per node, weighted by the time each sample stands for.
const selfMs = new Map();
const deltas = profile.timeDeltas ?? [];
const times = [];
deltas.reduce((t, d, i) => (times[i] = t + d), profile.startTime);
const from = lastArg ? profile.endTime - Number(lastArg) * 1e6 : -Infinity;
profile.samples.forEach((id, i) => {
  if (times[i] < from) return;
  selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0) / 1000);
});
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

const where = (url) => {
  if (!url) return '(native)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node';
  return url.replace(/^file:\/\/.*\/(apps|packages)\//, '$1/');
};

const byFunction = new Map();
const byPackage = new Map();
for (const [id, ms] of selfMs) {
  const { callFrame: f } = byId.get(id);
  const key = `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
  const pkg =
    where(f.url) === '(native)' ? f.functionName || '(native)' : where(f.url).split('/').slice(0, 3).join('/');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
}
const print = (title, map) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(1)} s)`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((ms / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
  }
};
print('self time by function', byFunction);
print('self time by package', byPackage);
