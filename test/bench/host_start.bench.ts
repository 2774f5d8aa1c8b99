// host_start: how long the headless host (`npm run start:web -- --data-dir D`) takes from
// spawning the process to its first API answer (getState over HTTP) — the first start on an
// empty folder (the database made and migrated) and the median of RUNS restarts on the same
// folder — and the host process's resident memory once it answered. One line per runtime:
// `built` (what `npm run start:web` runs: out/node/desk-host.mjs with plain node) and `tsx`
// (the TypeScript, as development runs it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, printFigure, round } from './measure';
import { call, spawnHost, stopHost } from '../host/host-process';

const runs = Number(process.env.RUNS ?? 5);

type Runtime = 'built' | 'tsx';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function start(dir: string, runtime: Runtime): Promise<{ listeningS: number; answerS: number; rssMb: number }> {
  const t = performance.now();
  const host = spawnHost(dir, 0, { built: runtime === 'built' });
  const url = await host.listening;
  const listeningS = (performance.now() - t) / 1000;
  const state = await call(url, 'getState');
  const answerS = (performance.now() - t) / 1000;
  if (!state.ok) throw new Error(`getState: ${JSON.stringify(state)}`);
  const rss = rssMb(host.child.pid!);
  const code = await stopHost(host);
  if (code !== 0) throw new Error(`the host exited with ${code}:\n${host.stderr()}`);
  return { listeningS, answerS, rssMb: rss };
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

execFileSync(process.execPath, ['scripts/build-host.mjs'], { stdio: 'inherit' });
for (const runtime of ['built', 'tsx'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'ballot-bench-host-start-'));
  try {
    const first = await start(dir, runtime);
    const restarts: Array<Awaited<ReturnType<typeof start>>> = [];
    for (let i = 0; i < runs; i++) restarts.push(await start(dir, runtime));
    printFigure({
      bench: 'host_start',
      runtime,
      first_start_listening_s: round(first.listeningS, 2),
      first_start_answer_s: round(first.answerS, 2),
      restart_listening_s: round(median(restarts.map((r) => r.listeningS)), 2),
      restart_answer_s: round(median(restarts.map((r) => r.answerS)), 2),
      host_rss_mb: round(median(restarts.map((r) => r.rssMb)), 1),
      restarts: runs,
      load_average: round(loadavg()[0]!, 2),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
