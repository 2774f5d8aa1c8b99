// import_contention: what a register import of IMPORT_ROWS new packs (1 M by default) costs the
// counting floor while it runs — receipts (batches of 50, two desks, some of them flagged so
// they take the feed's counter) and redemptions, their latency during the import against the
// same work with no import. On the embedded engine, and on DATABASE_URL's PostgreSQL when set.
import { groupRssSampler, percentile, printFigure, round } from './measure';
import { codeOf, post, receiptBodies, setUpLoadElection, startLoadCluster, type LoadEngine } from '../server/load';
import { ADMIN_TOKEN, ELECTION } from '../server/harness';

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const MEMBERS = 20_000;
const BATCH = 50;

async function measure(engine: LoadEngine): Promise<void> {
  const cluster = await startLoadCluster(engine, 1);
  const memory = groupRssSampler(cluster.processes);
  try {
    const url = cluster.servers[0]!.url;
    const election = await setUpLoadElection(url, MEMBERS, 2);
    // every tenth batch re-sends envelopes already received: flagged duplicates, which write
    // change events and so take the feed's counter like any flagged batch
    const fresh = receiptBodies(Array.from({ length: MEMBERS - 2_000 }, (_, i) => i + 1), BATCH);
    const dupes = receiptBodies(Array.from({ length: MEMBERS - 2_000 }, (_, i) => i + 1), BATCH);
    let nextBody = 0;
    let nextRedeem = MEMBERS - 2_000 + 1;
    const phase = async (stop: () => boolean): Promise<{ receipts: number[]; redeems: number[] }> => {
      const receipts: number[] = [];
      const redeems: number[] = [];
      const desk = async (token: string): Promise<void> => {
        while (!stop() && nextBody < fresh.length) {
          const i = nextBody++;
          const body = i % 10 === 9 ? dupes[i - 9]! : fresh[i]!;
          const t = performance.now();
          const r = await post(url, '/v1/receipts', token, body);
          if (r.status !== 200) throw new Error(`receipts: ${r.status}`);
          receipts.push(performance.now() - t);
        }
      };
      const platform = async (): Promise<void> => {
        while (!stop() && nextRedeem <= MEMBERS) {
          const t = performance.now();
          const r = await post(url, '/v1/online-codes/redeem', election.integrationToken, JSON.stringify({ code: codeOf(nextRedeem++) }));
          if (r.status !== 200) throw new Error(`redeem: ${r.status}`);
          redeems.push(performance.now() - t);
          await new Promise((res) => setTimeout(res, 20));
        }
      };
      await Promise.all([desk(election.deviceTokens[0]!), desk(election.deviceTokens[1]!), platform()]);
      return { receipts: receipts.sort((a, b) => a - b), redeems: redeems.sort((a, b) => a - b) };
    };

    // the same work with no import, for comparison (about 5 s)
    const quietUntil = performance.now() + 5_000;
    const quiet = await phase(() => performance.now() > quietUntil);

    let csv = 'ballot_number,issue,status,member_ref,online_code\n';
    for (let b = 100_000_001; b < 100_000_001 + IMPORT_ROWS; b++) csv += `${b},1,issued,I-${b},IMP${String(b).padStart(12, '0')}\n`;
    const started = performance.now();
    let importing = true;
    const imported = post(url, `/v1/admin/elections/${ELECTION}/register`, ADMIN_TOKEN, csv, 'text/csv').finally(() => (importing = false));
    const during = await phase(() => !importing);
    const answer = await imported;
    if (answer.status !== 200) throw new Error(`import: ${answer.status} ${JSON.stringify(answer.body)}`);
    const importS = (performance.now() - started) / 1000;
    memory.stop();
    const figure = (xs: number[], p: number): number => (xs.length > 0 ? round(percentile(xs, p), 1) : -1);
    printFigure({
      bench: 'import_contention',
      engine,
      import_rows: IMPORT_ROWS,
      import_s: round(importS, 1),
      receipts_batch: BATCH,
      receipts_during_n: during.receipts.length,
      receipts_during_p50_ms: figure(during.receipts, 50),
      receipts_during_p99_ms: figure(during.receipts, 99),
      receipts_quiet_p99_ms: figure(quiet.receipts, 99),
      redeem_during_n: during.redeems.length,
      redeem_during_p99_ms: figure(during.redeems, 99),
      redeem_quiet_p99_ms: figure(quiet.redeems, 99),
      peak_rss_mb: memory.peakMb(),
    });
  } finally {
    memory.stop();
    await cluster.close();
  }
}

await measure('embedded');
if (process.env.DATABASE_URL) await measure('postgres');
