// statement_trays: the end-of-day statement (PDF) of a long day in trays: 200 trays (BENCH_TRAYS)
// with labels of the longest length allowed (40 characters), five envelopes each, so the
// trays table runs over many pages. Total time, PDF size, pages and the longest event-loop
// stall (architecture rule 6: ≤ 50 ms) while it is made. Offline, as a desk not enrolled.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStatementPdf } from '../../electron/main/app/reports/statement';
import { NOT_ENROLLED } from '../../electron/main/app/sync/centre-summary';
import { printFigure, round, stallMonitor } from './measure';
import { seedLedger } from './seed-ledger';

const trays = Number(process.env.BENCH_TRAYS ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'bench-statement-trays-'));
try {
  const { db } = seedLedger(dir, { receipts: trays * 5, trayOf: 5, flagEvery: 7 });
  // 40 characters: half of them words, half one unbroken run, so both ways of wrapping are drawn
  db.prepare("UPDATE batches SET label = substr(printf('%05d ', rowid) || CASE WHEN rowid % 2 = 0 THEN 'North hall table twelve left-hand box' ELSE 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW' END, 1, 40)").run();
  const path = join(dir, 'statement.pdf');
  const monitor = stallMonitor();
  const t0 = performance.now();
  const written = await writeStatementPdf(db, path, new Date(), { status: 'offline', reason: NOT_ENROLLED });
  const totalMs = performance.now() - t0;
  monitor.stop();
  db.close();
  const pages = (readFileSync(path, 'latin1').match(/\/Type \/Page\b/g) ?? []).length;
  printFigure({ bench: 'statement_trays', trays, total_ms: round(totalMs, 1), max_event_loop_stall_ms: monitor.maxStallMs(), pdf_bytes: statSync(path).size, pages, pdf_lines: written.lines });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
