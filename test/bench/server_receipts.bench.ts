// server_receipts: receipts per second through HTTP, 8 clients sending 500-receipt batches of
// new envelopes (the accepted path: member lock, code deactivation), on PGlite and — when
// DATABASE_URL is set — on PostgreSQL, beside pgbench's simple-update TPS on the same server.
import { spawnSync } from 'node:child_process';
import { peakRssMb, printFigure, round } from './measure';
import { receiptBodies, sendReceipts, setUpLoadElection, startLoadCluster } from '../server/load';

const CLIENTS = 8;
const BATCH = 500;

async function measure(engine: 'pglite' | 'postgres', receipts: number, processes: number): Promise<string | undefined> {
  const cluster = await startLoadCluster(engine, processes);
  try {
    const urls = cluster.servers.map((s) => s.url);
    const election = await setUpLoadElection(urls[0]!, receipts, CLIENTS);
    const ballots = Array.from({ length: receipts }, (_, i) => i + 1);
    // warm-up on a small share, then the measured rest
    const warm = Math.min(receipts / 10, 8 * BATCH);
    await sendReceipts(urls, election.deviceTokens, receiptBodies(ballots.slice(0, warm), BATCH), CLIENTS);
    const bodies = receiptBodies(ballots.slice(warm), BATCH);
    const seconds = await sendReceipts(urls, election.deviceTokens, bodies, CLIENTS);
    const figure: Record<string, unknown> & { bench: string } = {
      bench: 'server_receipts',
      engine,
      clients: CLIENTS,
      batch: BATCH,
      server_processes: processes,
      receipts: receipts - warm,
      total_s: round(seconds, 2),
      receipts_per_s: Math.round((receipts - warm) / seconds),
      peak_rss_mb: Math.max(...cluster.servers.map((s) => peakRssMb(s.pid))),
    };
    if (engine === 'postgres') figure.pgbench_tps = pgbenchTps(cluster.databaseUrl!);
    printFigure(figure);
    return cluster.databaseUrl;
  } finally {
    await cluster.close();
  }
}

/** The machine's own ceiling: pgbench simple-update, 8 clients, on the same PostgreSQL. */
function pgbenchTps(url: string): number | null {
  const init = spawnSync('pgbench', ['-i', '-q', '-s', '4', url], { encoding: 'utf8' });
  if (init.status !== 0) {
    console.error(`pgbench -i failed: ${init.stderr}`);
    return null;
  }
  const run = spawnSync('pgbench', ['-b', 'simple-update', '-c', '8', '-j', '2', '-T', '10', url], { encoding: 'utf8' });
  const m = /tps = ([\d.]+)/.exec(run.stdout);
  if (!m) {
    console.error(`pgbench failed: ${run.stderr}`);
    return null;
  }
  return Math.round(Number(m[1]));
}

await measure('pglite', Number(process.env.BENCH_PGLITE_RECEIPTS ?? 40_000), 1);
if (process.env.DATABASE_URL) {
  await measure('postgres', Number(process.env.BENCH_PG_RECEIPTS ?? 200_000), Number(process.env.BENCH_PG_PROCESSES ?? 1));
}
