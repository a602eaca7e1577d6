// node --import this file: samples process.memoryUsage() every 20 ms. On each SIGUSR2 it writes
// {now, peak} (MB; peak: the sample at the highest RSS since the last signal) to $MEMORY_PROBE_OUT.
// For burst-rss.mjs only.
import { writeFileSync } from 'node:fs';

let peak = { rss: 0 };
const mb = (usage) => Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, Math.round(v / 104857.6) / 10]));
setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss > peak.rss) peak = usage;
}, 20).unref();
process.on('SIGUSR2', () => {
  writeFileSync(process.env.MEMORY_PROBE_OUT, JSON.stringify({ now: mb(process.memoryUsage()), peak: mb(peak) }));
  peak = { rss: 0 };
});
