// Seeds a workstation database directly (no API): people, trays, receipts and flags, for
// the benchmarks that need a day's worth (or a million) of them — each receipt and flag with the
// audit entry recording it writes (scan.recorded with the one scanDetail, flag.raised), so the
// app's own check at start finds the ledger whole and the screens open on it.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { FLAG_KINDS } from '../../shared/domain';
import { AuditLog } from '../../electron/main/app/audit/log';
import { scanDetail } from '../../electron/main/app/audit/scan-detail';
import { openDatabase, type Db } from '../../electron/main/app/db/open';

export interface SeedOptions {
  receipts: number;
  /** every n-th receipt carries a flag */
  flagEvery: number;
  trayOf?: number;
  electionNumber?: number;
  /** seed into a database the app already set up: receipts by this person, workstation kept */
  operatorId?: string;
}

export function seedLedger(dataDir: string, o: SeedOptions): { db: Db; operatorId: string; supervisorId: string } {
  const opened = openDatabase(join(dataDir, 'ballot-intake.sqlite'));
  if (!opened.ok) throw new Error(opened.error.message);
  const db = opened.value;
  const election = o.electionNumber ?? 1022;
  const trayOf = o.trayOf ?? 500;
  const operatorId = o.operatorId ?? randomUUID();
  const supervisorId = randomUUID();
  const t0 = Date.parse('2026-11-24T08:00:00.000Z');
  if (!o.operatorId) {
    db.prepare('INSERT OR REPLACE INTO workstation (id, workstation_id, workstation_name, election_number, election_name, closes_at) VALUES (1, ?, ?, ?, ?, ?)').run(
      randomUUID(),
      'Bench desk',
      election,
      'Bench election',
      '2026-11-24T23:00:00.000Z',
    );
    // The PIN hash is never checked by the benchmarks.
    const person = db.prepare("INSERT INTO people (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, 'x', ?)");
    person.run(operatorId, 'Olive Operator', 'operator', new Date(t0).toISOString());
    person.run(supervisorId, 'Sam Supervisor', 'supervisor', new Date(t0).toISOString());
  }
  const batch = db.prepare('INSERT INTO batches (id, label, expected_count, opened_at, opened_by, closed_at, closed_by, physical_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const receipt = db.prepare(`INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, member_ref, scanned_at, operator_id, batch_id, position, source, desk_outcome)
    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 'scanner', ?)`);
  const flag = db.prepare("INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at) VALUES (?, ?, ?, 'desk', ?)");
  const audit = new AuditLog(db);
  const trays = Math.ceil(o.receipts / trayOf);
  const perTx = 20_000;
  db.pragma('synchronous = OFF');
  let seq = 0;
  for (let t = 0; t < trays; t++) {
    if (!db.inTransaction) db.exec('BEGIN');
    const id = randomUUID();
    const n = Math.min(trayOf, o.receipts - seq);
    const opened = new Date(t0 + seq * 50).toISOString();
    const last = t === trays - 1;
    batch.run(id, `T-${String(t + 1).padStart(5, '0')}`, trayOf, opened, operatorId, last ? null : new Date(t0 + (seq + n) * 50).toISOString(), last ? null : operatorId, last ? null : n - (t % 97 === 5 ? 1 : 0));
    for (let p = 1; p <= n; p++) {
      seq++;
      const rid = randomUUID();
      const flagged = seq % o.flagEvery === 0;
      const at = new Date(t0 + seq * 50).toISOString();
      const barcode = encodeBarcode(election, seq, 1);
      const outcome = flagged ? 'flagged' : 'accepted';
      receipt.run(rid, seq, barcode, election, seq, `M-${seq}`, at, operatorId, id, p, outcome);
      const when = new Date(at);
      audit.append('scan.recorded', operatorId, scanDetail({ receiptId: rid, seq, barcode, batchId: id, position: p, source: 'scanner', memberRef: `M-${seq}`, outcome, manualReason: null, confirmedBy: null }), when);
      if (flagged) {
        const flagId = randomUUID();
        const kind = FLAG_KINDS[(seq / o.flagEvery) % FLAG_KINDS.length]!;
        flag.run(flagId, rid, kind, at);
        audit.append('flag.raised', operatorId, { flagId, receiptId: rid, kind, raisedBy: 'desk', related: [] }, when);
      }
      if (seq % perTx === 0) db.exec('COMMIT');
      if (!db.inTransaction) db.exec('BEGIN');
    }
  }
  if (db.inTransaction) db.exec('COMMIT');
  return { db, operatorId, supervisorId };
}
