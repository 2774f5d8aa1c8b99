// scan_latency: N recordScan calls (default 10,000) through the app's dispatcher on a file
// database (WAL, synchronous=FULL: each verdict only after its commit) with a register of
// R packs loaded (default 10 million). The register is written straight into the table with
// one INSERT … SELECT from a recursive CTE, which takes seconds instead of an import.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { DATABASE_FILE, openApp } from '../../electron/main/app/index';
import { peakRssMb, percentile, printFigure, round } from './measure';

const n = Number(process.env.BENCH_SCANS ?? 10_000);
const registerRows = Number(process.env.BENCH_REGISTER_ROWS ?? 10_000_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-scan-'));
const log = { info() {}, warn() {}, error: (m: string, f?: unknown) => console.error(m, f) };
const secretStore = { description: 'none', get: async () => null, set: async () => ({ ok: true as const, value: undefined }) };
try {
  // First open makes the schema; then the register goes in from outside, as an import would leave it.
  const first = await openApp({ dataDir: dir, log, secretStore });
  if (!first.ok) throw new Error(first.error.message);
  await first.value.close();
  const db = new Database(join(dir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('cache_size = -262144');
  db.exec(`
    WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${registerRows})
    INSERT INTO register_a (ballot_number, issue, status, member_ref, online_voted)
      SELECT x, 1, 'issued', printf('M-%09d', x), 0 FROM n;
    UPDATE register_state SET active = 'a', rows = ${registerRows}, source = 'bench' WHERE id = 1;
  `);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const opened = await openApp({ dataDir: dir, log, secretStore });
  if (!opened.ok) throw new Error(opened.error.message);
  const app = opened.value;
  const must = async (name: string, input: unknown): Promise<any> => {
    const r = await app.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  await must('createFirstSupervisor', { name: 'Bench', pin: '123456' });
  await must('configureOffline', { electionNumber: 1022, electionName: 'Bench', closesAt: '2099-01-01T00:00:00.000Z', workstationName: 'Desk' });
  await must('openBatch', { label: 'B1' });
  // Envelopes spread over the whole register (each a different pack: every verdict is Recorded).
  const barcodes: string[] = [];
  for (let i = 0; i < n; i++) {
    const ballot = 1 + Math.floor(((i * 7_919_993) % registerRows) + (i % 13));
    barcodes.push(encodeBarcode(1022, Math.min(ballot, registerRows), 1));
  }
  const times: number[] = [];
  const verdicts: Record<string, number> = {};
  for (const barcode of barcodes) {
    const t0 = performance.now();
    const v = await must('recordScan', { barcode, source: 'scanner' });
    times.push(performance.now() - t0);
    verdicts[v.kind ?? v.verdict] = (verdicts[v.kind ?? v.verdict] ?? 0) + 1;
  }
  times.sort((a, b) => a - b);
  printFigure({
    bench: 'scan_latency',
    p50_ms: round(percentile(times, 50)),
    p99_ms: round(percentile(times, 99)),
    max_ms: round(times.at(-1)!),
    n,
    register_rows: registerRows,
    verdicts,
    peak_rss_mb: peakRssMb(),
    load_avg_1m: round((await import('node:os')).loadavg()[0]!, 1),
  });
  await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
