// verify_audit: the whole audit check (chain + every receipt and flag against its entry) over
// N entries (default 1 million), run the way the app runs it: in a worker thread on its own
// read-only connection. The day is written directly (the same rows recordScan writes) so
// that making it takes seconds, not an hour of scans.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';
import { AuditLog } from '../../electron/main/app/audit/log';
import { verifyAuditOffThread } from '../../electron/main/app/audit/verify-runner';
import { openDatabase } from '../../electron/main/app/db/open';
import { peakRssMb, printFigure, round, stallMonitor } from './measure';

const target = Number(process.env.BENCH_AUDIT_ENTRIES ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
try {
  const opened = openDatabase(join(dir, 'ledger.sqlite'));
  if (!opened.ok) throw new Error(opened.error.message);
  const db = opened.value;
  const audit = new AuditLog(db);
  const t = Date.parse('2026-11-25T08:00:00Z');
  const operator = randomUUID();
  const batch = randomUUID();
  db.prepare("INSERT INTO people (id, name, role, pin_hash, created_at) VALUES (?, 'Olga', 'operator', 'x', '2026-11-25T08:00:00Z')").run(operator);
  db.prepare("INSERT INTO batches (id, label, opened_at, opened_by) VALUES (?, 'T1', '2026-11-25T08:00:00Z', ?)").run(batch, operator);
  const insertReceipt = db.prepare(
    `INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, member_ref, scanned_at, operator_id, batch_id, position, source, desk_outcome)
     VALUES (?, ?, ?, 1022, ?, 1, ?, ?, ?, ?, ?, 'scanner', ?)`,
  );
  const insertFlag = db.prepare("INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at) VALUES (?, ?, 'unknown_ballot', 'desk', ?)");
  let entries = 0;
  let seq = 0;
  db.transaction(() => {
    audit.append('signin.succeeded', operator, { name: 'Olga', role: 'operator' }, new Date(t));
    entries++;
    while (entries < target) {
      seq++;
      const at = new Date(t + seq * 50);
      const iso = at.toISOString();
      const id = randomUUID();
      const barcode = encodeBarcode(1022, seq, 1);
      const flagged = seq % 20 === 0;
      const memberRef = flagged ? null : `M-${seq}`;
      insertReceipt.run(id, seq, barcode, seq, memberRef, iso, operator, batch, seq, flagged ? 'flagged' : 'accepted');
      audit.append('scan.recorded', operator, { receiptId: id, seq, display: formatBarcode(barcode), batchId: batch, position: seq, source: 'scanner', memberRef, outcome: flagged ? 'flagged' : 'accepted' }, at);
      entries++;
      if (flagged && entries < target) {
        const flagId = randomUUID();
        insertFlag.run(flagId, id, iso);
        audit.append('flag.raised', operator, { flagId, receiptId: id, kind: 'unknown_ballot', raisedBy: 'desk', related: [] }, at);
        entries++;
      }
      if (seq % 10 === 0 && entries < target) {
        audit.append('scan.repeat', operator, { receiptId: id, display: formatBarcode(barcode), source: 'scanner' }, at);
        entries++;
      }
    }
  }).immediate();
  db.pragma("wal_checkpoint(TRUNCATE)");

  const stall = stallMonitor();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const status = await verifyAuditOffThread(db);
  const totalS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stall.stop();
  if (!status.ok || status.entries !== entries) throw new Error(`the check failed: ${JSON.stringify(status)}`);
  printFigure({
    bench: 'verify_audit',
    entries: status.entries,
    receipts: seq,
    total_s: round(totalS, 2),
    entries_per_s: Math.round(status.entries / totalS),
    max_event_loop_stall_ms: stall.maxStallMs(),
    peak_rss_mb: peakRssMb(),
    // both workers' CPU time: on a busy machine wall time says more about the neighbours
    cpu_s: round((cpu.user + cpu.system) / 1e6, 2),
    load_avg_1m: round((await import('node:os')).loadavg()[0]!, 1),
  });
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
