// One seeded run of the history checker, end to end: the plan from the seed, one PostgreSQL
// (DATABASE_URL's server, or the embedded engine), the server processes with their skewed
// clocks and fault proxies, the run, the database read, the final redeem, the checks, and on
// a violation the shortest history of each kind (shrunk by replay when it reproduces).
// Used by test/history/history.test.ts and `npm run bench -- history_check`.
import { readFileSync } from 'node:fs';
import { check, type Violation } from './checker';
import { startCluster } from './cluster';
import { openHistoryDatabase } from './database';
import { History } from './history';
import { names } from './names';
import { generatePlan, isRequestOp, type Plan } from './plan';
import { historyLines, shortestPerKind } from './report';
import { finalRedeem, runOps, setUpElection } from './runner';
import { shrink } from './shrink';
import { readSnapshot } from './snapshot';

export interface HistoryCheckOptions {
  seed: number;
  operations: number;
  engine?: 'embedded' | 'postgres';
  servers?: number;
  concurrency?: number;
  /** server SIGKILLs and PostgreSQL restarts (default true) */
  crashes?: boolean;
  /** scales the proxy's fault probabilities (default 1; 0 = a calm network) */
  faultRate?: number;
  /** time allowed for shrinking failing histories by replay (0: only filter them) */
  shrinkBudgetMs?: number;
  /** progress and reports go here (stderr by default) */
  log?: (line: string) => void;
}

export interface HistoryCheckResult {
  /** the one JSON line (contracts.md §5: history_check) */
  figure: Record<string, unknown> & { bench: 'history_check'; violations: number };
  violations: Violation[];
  /** the seed, and per kind of violation the shortest history that shows it */
  report: string;
}

export async function runHistoryCheck(options: HistoryCheckOptions): Promise<HistoryCheckResult> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const plan: Plan = generatePlan({
    seed: options.seed,
    operations: options.operations,
    servers: options.servers ?? 3,
    concurrency: options.concurrency ?? 12,
    ...(options.crashes !== undefined ? { crashes: options.crashes } : {}),
    ...(options.faultRate !== undefined ? { faultRate: options.faultRate } : {}),
  });
  const requests = plan.ops.filter(isRequestOp).length;
  const db = await openHistoryDatabase(options.engine ? { engine: options.engine } : {});
  const t0 = performance.now();
  const history = new History(() => performance.now() - t0);
  const cluster = await startCluster({
    databaseUrl: db.url,
    skewsMs: plan.skewsMs,
    record: (u) => history.record(u),
    clock: history.clock,
    onEvent: (e) => history.event(e),
  }).catch(async (e) => {
    await db.close();
    throw e;
  });
  try {
    const ns = names(plan);
    const session = await setUpElection(plan, ns, cluster);
    let lastProgress = Date.now();
    const ctx = {
      plan,
      session,
      cluster,
      db,
      history,
      calm: false,
      concurrency: plan.concurrency,
      progress: (done: number, total: number) => {
        if (Date.now() - lastProgress < 15_000) return;
        lastProgress = Date.now();
        log(`history_check seed ${plan.seed}: ${done}/${total} operations, ${((done / (history.clock() - started)) * 1000).toFixed(0)}/s`);
      },
    };
    const started = history.clock();
    await runOps(ctx, plan.ops);
    const runMs = history.clock() - started;
    const loadAvg = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

    const phase = (name: string, since: number): void => log(`history_check seed ${plan.seed}: ${name} in ${((Date.now() - since) / 1000).toFixed(1)} s`);
    let t = Date.now();
    const snapshot = await readSnapshot(db.url, ns);
    phase(`database read (${snapshot.receipts.size} receipts)`, t);
    t = Date.now();
    const members = Array.from({ length: plan.members }, (_, m) => m);
    const final = await finalRedeem(ctx, members, plan.ops.length);
    phase(`final redeem of ${members.length} codes`, t);
    t = Date.now();
    const violations = check({ plan, ns, history, snapshot, finalRedeem: final });
    phase(`checked (${violations.length} violations)`, t);

    const byKind: Record<string, number> = {};
    for (const v of violations) byKind[`${v.check}/${v.kind}`] = (byKind[`${v.check}/${v.kind}`] ?? 0) + 1;
    const proxyFaults = cluster.slots.reduce((n, s) => n + Object.entries(s.proxy.counts).reduce((k, [f, c]) => k + (f === 'none' || f === 'target_down' ? 0 : c), 0), 0);
    const kills = history.events.filter((e) => e.kind === 'kill').length;
    const pgRestarts = history.events.filter((e) => e.kind === 'pg_down').length;
    const faultsByKind: Record<string, number> = { server_sigkill: kills, postgres_restart: pgRestarts };
    for (const s of cluster.slots) for (const [f, c] of Object.entries(s.proxy.counts)) if (f !== 'none') faultsByKind[f] = (faultsByKind[f] ?? 0) + c;
    const figure = {
      bench: 'history_check' as const,
      seed: plan.seed,
      operations: requests,
      violations: violations.length,
      server_processes: plan.servers,
      desks: plan.desks.length,
      centres: plan.centres.length,
      faults: proxyFaults + kills + pgRestarts,
      ops_per_s: Math.round((requests / runMs) * 1000),
      load_avg_1m: loadAvg,
      engine: db.engine,
      postgres_restart: db.restartKind,
      decision_order: snapshot.hasSeq ? 'seq' : 'recorded_at',
      run_s: Math.round(runMs / 100) / 10,
      receipts_sent: plan.ops.reduce((n, op) => n + (op.kind === 'receipts' ? op.receipts.length : 0), 0),
      members: plan.members,
      clock_skews_s: plan.skewsMs.map((s) => Math.round(s / 1000)),
      attempts: history.attempts.length,
      skipped_decisions: history.skipped.size,
      faults_by_kind: faultsByKind,
      violations_by_kind: byKind,
    };

    let report = '';
    if (violations.length > 0) {
      const rctx = { plan, ns, history };
      const lines: string[] = [`history_check seed ${plan.seed}: ${violations.length} violation(s) — replay with: npm run bench -- history_check --seed ${plan.seed} --operations ${options.operations}`];
      const nextTrial = { value: 1 };
      let budget = options.shrinkBudgetMs ?? 60_000;
      for (const [kind, { violation, count, attempts }] of shortestPerKind(rctx, violations)) {
        lines.push('', `== ${kind}: ${count} violation(s). The shortest history (${attempts} attempts):`, `   ${violation.message}`);
        lines.push(...historyLines(rctx, violation.subject).map((l) => `   ${l}`));
        if (budget > 0 && Object.keys(violation.subject).length > 0) {
          const t = Date.now();
          const shrunk = await shrink({ plan, session, cluster, db, history, nextTrial }, violation, Math.min(budget, 45_000)).catch((e: unknown) => {
            lines.push(`   (shrinking failed: ${e instanceof Error ? e.message : String(e)})`);
            return null;
          });
          budget -= Date.now() - t;
          if (shrunk)
            lines.push(
              `   -- shrunk by replay (${shrunk.mode}, ${shrunk.trials} replays): ${shrunk.ops.length} operation(s) fail the same way on their own:`,
              ...shrunk.lines.map((l) => `   ${l}`),
            );
          else lines.push('   -- a replay of these operations alone, one at a time, did not fail the same way (it needs the concurrency or faults of the run)');
        }
      }
      report = lines.join('\n');
    }
    return { figure, violations, report };
  } finally {
    await cluster.close();
    await db.close();
  }
}
