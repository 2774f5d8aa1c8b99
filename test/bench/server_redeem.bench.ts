// server_redeem: online-code redemption latency (p50/p99) while 8 clients keep sending
// 500-receipt batches — the platform's experience on election night — on the embedded engine
// (the server's own PostgreSQL) and, when DATABASE_URL is set, on that PostgreSQL.
import { groupRssSampler, percentile, printFigure, round } from './measure';
import { post, receiptBodies, sendReceipts, setUpLoadElection, startLoadCluster, type LoadEngine } from '../server/load';

const CLIENTS = 8;
const BATCH = 500;

async function measure(engine: LoadEngine, receipts: number, redemptions: number): Promise<void> {
  const cluster = await startLoadCluster(engine, 1);
  const memory = groupRssSampler(cluster.processes);
  try {
    const url = cluster.servers[0]!.url;
    const members = receipts + redemptions;
    const election = await setUpLoadElection(url, members, CLIENTS);
    // receipts for members 1..receipts; redemptions for the others (each must succeed)
    const bodies = receiptBodies(Array.from({ length: receipts }, (_, i) => i + 1), BATCH);
    const redeem = async (b: number): Promise<number> => {
      const t = performance.now();
      const r = await post(url, '/v1/online-codes/redeem', election.integrationToken, JSON.stringify({ code: election.codeOf(b) }));
      if (r.status !== 200) throw new Error(`redeem: ${r.status} ${JSON.stringify(r.body)}`);
      return performance.now() - t;
    };
    // warm-up (first statements are planned, code paths compiled), then under load
    let b = receipts + 1;
    for (const end = b + 20; b < end; b++) await redeem(b);
    let loadDone = false;
    let measuring = true;
    const load = sendReceipts([url], election.deviceTokens, bodies, CLIENTS, () => !measuring).finally(() => (loadDone = true));
    await new Promise((r) => setTimeout(r, 200)); // let the load build up
    const latencies: number[] = [];
    for (; b <= members && latencies.length < redemptions && !loadDone; b++) latencies.push(await redeem(b));
    measuring = false;
    await load;
    latencies.sort((a, b) => a - b);
    memory.stop();
    printFigure({
      bench: 'server_redeem',
      engine,
      p50_ms: round(percentile(latencies, 50), 2),
      p99_ms: round(percentile(latencies, 99), 2),
      n: latencies.length,
      concurrent_receipt_clients: CLIENTS,
      peak_rss_mb: memory.peakMb(),
      peak_pss_mb: memory.peakPssMb(),
    });
  } finally {
    memory.stop();
    await cluster.close();
  }
}

await measure('embedded', Number(process.env.BENCH_EMBEDDED_RECEIPTS ?? 100_000), 1_000);
if (process.env.DATABASE_URL) await measure('postgres', Number(process.env.BENCH_PG_RECEIPTS ?? 150_000), 2_000);
