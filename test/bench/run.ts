// `npm run bench [-- NAME…]`: runs each benchmark in its own child process (so that
// peak_rss_mb is that work's own memory) and passes through its JSON lines.
// A benchmark is a file test/bench/NAME.bench.ts that prints one JSON line per figure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
// `--name value` options are passed on to the benchmarks (e.g. history_check --seed N)
const args = process.argv.slice(2);
const isOption = (i: number): boolean => args[i]!.startsWith('-') || (i > 0 && args[i - 1]!.startsWith('--') && !args[i - 1]!.includes('='));
const wanted = args.filter((_, i) => !isOption(i));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.bench.ts`), ...args.filter((_, i) => isOption(i))], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: process.env,
  });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${name} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
