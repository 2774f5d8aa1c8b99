// server_receipts: receipts per second through HTTP, 8 clients sending 500-receipt batches of
// new envelopes (the accepted path: member lock, code deactivation), on the embedded engine (a
// server with its own PostgreSQL in a data directory, as `npm run server` runs) and — when
// DATABASE_URL is set — on that PostgreSQL, each beside pgbench's simple-update TPS on the same
// PostgreSQL (PGBENCH_PATH, else pgbench on the PATH). peak_rss_mb is the server process and,
// embedded, its PostgreSQL's processes together (the sum of their resident sets, which counts
// shared pages once per process); peak_pss_mb the same group's proportional set sizes.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { runningEmbeddedUrl } from '../../server/db/embedded-postgres';
import { groupRssSampler, printFigure, round } from './measure';
import { receiptBodies, sendReceipts, setUpLoadElection, startLoadCluster, type LoadEngine } from '../server/load';

const CLIENTS = 8;
const BATCH = 500;

async function measure(engine: LoadEngine, receipts: number, processes: number): Promise<void> {
  const cluster = await startLoadCluster(engine, processes);
  const memory = groupRssSampler(cluster.processes);
  try {
    const urls = cluster.servers.map((s) => s.url);
    const election = await setUpLoadElection(urls[0]!, receipts, CLIENTS);
    const ballots = Array.from({ length: receipts }, (_, i) => i + 1);
    // warm-up on a small share, then the measured rest
    const warm = Math.min(receipts / 10, 8 * BATCH);
    await sendReceipts(urls, election.deviceTokens, receiptBodies(ballots.slice(0, warm), BATCH), CLIENTS);
    const bodies = receiptBodies(ballots.slice(warm), BATCH);
    const seconds = await sendReceipts(urls, election.deviceTokens, bodies, CLIENTS);
    memory.stop();
    const figure: Record<string, unknown> & { bench: string } = {
      bench: 'server_receipts',
      engine,
      clients: CLIENTS,
      batch: BATCH,
      server_processes: processes,
      receipts: receipts - warm,
      total_s: round(seconds, 2),
      receipts_per_s: Math.round((receipts - warm) / seconds),
      peak_rss_mb: memory.peakMb(),
      peak_pss_mb: memory.peakPssMb(),
      rss_sum_of_process_peaks_mb: memory.hwmSumMb(),
      processes: cluster.processes().length,
      load_average: round(loadavg()[0]!, 2),
    };
    const databaseUrl = engine === 'embedded' ? runningEmbeddedUrl(cluster.dataDir!) : cluster.databaseUrl!;
    figure.pgbench_tps = databaseUrl ? pgbenchTps(databaseUrl) : null;
    printFigure(figure);
  } finally {
    memory.stop();
    await cluster.close();
  }
}

/** The machine's own ceiling: pgbench simple-update, 8 clients, on the same PostgreSQL. */
function pgbenchTps(url: string): number | null {
  const pgbench = process.env.PGBENCH_PATH ?? 'pgbench';
  const init = spawnSync(pgbench, ['-i', '-q', '-s', '4', url], { encoding: 'utf8' });
  if (init.status !== 0) {
    console.error(`pgbench -i failed: ${init.error?.message ?? init.stderr}`);
    return null;
  }
  const run = spawnSync(pgbench, ['-b', 'simple-update', '-c', '8', '-j', '2', '-T', '10', url], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(run.stdout);
  if (!m) {
    console.error(`pgbench failed: ${run.stderr}`);
    return null;
  }
  return Math.round(Number(m[1]));
}

await measure('embedded', Number(process.env.BENCH_EMBEDDED_RECEIPTS ?? 100_000), 1);
if (process.env.DATABASE_URL) {
  await measure('postgres', Number(process.env.BENCH_PG_RECEIPTS ?? 200_000), Number(process.env.BENCH_PG_PROCESSES ?? 1));
}
