// server_start: how long `npm run server -- --data-dir D` takes to answer on the embedded
// engine — the first start (initdb makes the cluster) and a restart on the same data — from
// spawning the process to its "listening" line, and the embedded PostgreSQL's own share of it
// (from the server's info log). Also a restart after the server was SIGKILLed (its orphaned
// PostgreSQL is found and stopped first). RUNS sets how many restarts to take the median of.
// One line per runtime: `built` (what `npm run server` runs: out/node/server.mjs with plain
// node) and `tsx` (the TypeScript, as tests and development run it), each with the server
// process's resident memory once it answers (without its PostgreSQL).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, printFigure, round } from './measure';
import { spawnServer, type ServerProcess } from '../server/processes';

const env = { BALLOT_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', BALLOT_SERVER_SECRET: 'bench-server-secret-0123456789abcdef0123' };
const runs = Number(process.env.RUNS ?? 5);

type Runtime = 'built' | 'tsx';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function start(dir: string, runtime: Runtime): Promise<{ server: ServerProcess; s: number; postgresMs: number; rssMb: number }> {
  const t = performance.now();
  const server = await spawnServer(['--data-dir', dir, '--log-level', 'info'], env, { built: runtime === 'built' });
  const s = (performance.now() - t) / 1000;
  // the info line is written before the listening line, but pino writes asynchronously
  for (let i = 0; i < 100 && !/"startMs":\d+/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 20));
  const m = /"startMs":(\d+)/.exec(server.output());
  return { server, s, postgresMs: m ? Number(m[1]) : NaN, rssMb: rssMb(server.pid) };
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
for (const runtime of ['built', 'tsx'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'ballot-bench-start-'));
  try {
    const first = await start(dir, runtime);
    await first.server.stop();
    const restarts: Array<{ s: number; postgresMs: number; rssMb: number }> = [];
    for (let i = 0; i < runs; i++) {
      const r = await start(dir, runtime);
      restarts.push(r);
      await r.server.stop();
    }
    const killed = await start(dir, runtime);
    killed.server.child.kill('SIGKILL');
    await new Promise((r) => killed.server.child.once('exit', r));
    const afterKill = await start(dir, runtime);
    await afterKill.server.stop();
    printFigure({
      bench: 'server_start',
      engine: 'embedded',
      runtime,
      first_start_s: round(first.s, 2),
      first_start_postgres_s: round(first.postgresMs / 1000, 2),
      restart_s: round(median(restarts.map((r) => r.s)), 2),
      restart_postgres_s: round(median(restarts.map((r) => r.postgresMs)) / 1000, 2),
      restart_after_sigkill_s: round(afterKill.s, 2),
      restart_after_sigkill_postgres_s: round(afterKill.postgresMs / 1000, 2),
      server_rss_mb: round(median(restarts.map((r) => r.rssMb)), 1),
      restarts: runs,
      load_average: round(loadavg()[0]!, 2),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
