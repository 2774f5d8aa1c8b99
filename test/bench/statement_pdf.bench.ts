// statement_pdf: the end-of-day statement (PDF) over 1 million receipts seeded directly into
// a workstation database: total time, and the longest event-loop stall while it is made
// (architecture rule 6: ≤ 50 ms). Offline, as a desk that is not enrolled: the centre section
// then says so in words.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStatementPdf } from '../../electron/main/app/reports/statement';
import { NOT_ENROLLED } from '../../electron/main/app/sync/centre-summary';
import { printFigure, round, stallMonitor } from './measure';
import { seedLedger } from './seed-ledger';

const receipts = Number(process.env.BENCH_RECEIPTS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-statement-'));
try {
  const { db } = seedLedger(dir, { receipts, flagEvery: 50 });
  const path = join(dir, 'statement.pdf');
  const monitor = stallMonitor();
  const t0 = performance.now();
  const written = await writeStatementPdf(db, path, new Date(), { status: 'offline', reason: NOT_ENROLLED });
  const totalS = (performance.now() - t0) / 1000;
  monitor.stop();
  db.close();
  printFigure({ bench: 'statement_pdf', receipts, total_s: round(totalS, 2), max_event_loop_stall_ms: monitor.maxStallMs(), pdf_bytes: statSync(path).size, pdf_lines: written.lines });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
