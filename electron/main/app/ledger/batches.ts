// Trays of envelopes (batches): one open at a time per workstation; every receipt has a
// position in its tray, which is how a supervisor finds the physical envelope.
import { randomUUID } from 'node:crypto';
import type { BatchSummary } from '../../../../shared/api/types';
import { err, ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';

interface BatchRow {
  id: string;
  label: string;
  expected_count: number | null;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  physical_count: number | null;
  scanned: number;
  flagged: number;
}

const SELECT_BATCH = `
  SELECT b.*,
    (SELECT count(*) FROM receipts r WHERE r.batch_id = b.id) AS scanned,
    (SELECT count(*) FROM receipts r JOIN flags f ON f.receipt_id = r.id WHERE r.batch_id = b.id) AS flagged
  FROM batches b`;

function summary(r: BatchRow): BatchSummary {
  return {
    id: r.id,
    label: r.label,
    expectedCount: r.expected_count,
    scannedCount: r.scanned,
    flaggedCount: r.flagged,
    physicalCount: r.physical_count,
    discrepancy: r.physical_count === null ? null : r.physical_count - r.scanned,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    openedBy: r.opened_by,
  };
}

export type BatchError = { code: 'conflict' | 'not_found'; message: string };

export class Batches {
  private readonly openStmt;
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.openStmt = db.prepare<[], { id: string; label: string }>('SELECT id, label FROM batches WHERE closed_at IS NULL');
  }

  /** The open tray, cheaply (on the scan path). */
  openBatch(): { id: string; label: string } | null {
    return this.openStmt.get() ?? null;
  }

  openSummary(): BatchSummary | null {
    const r = this.db.prepare(`${SELECT_BATCH} WHERE b.closed_at IS NULL`).get() as BatchRow | undefined;
    return r ? summary(r) : null;
  }

  get(id: string): BatchSummary | null {
    const r = this.db.prepare(`${SELECT_BATCH} WHERE b.id = ?`).get(id) as BatchRow | undefined;
    return r ? summary(r) : null;
  }

  list(): BatchSummary[] {
    return (this.db.prepare(`${SELECT_BATCH} ORDER BY b.opened_at DESC`).all() as BatchRow[]).map(summary);
  }

  open(label: string, expectedCount: number | null, actor: string, now: Date): Result<BatchSummary, BatchError> {
    const current = this.openBatch();
    if (current) return err({ code: 'conflict', message: `Tray ${current.label} is still open: close it first.` });
    const taken = this.db.prepare('SELECT 1 FROM batches WHERE label = ?').get(label);
    if (taken) return err({ code: 'conflict', message: `A tray called ${label} already exists here: use another label.` });
    const id = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO batches (id, label, expected_count, opened_at, opened_by) VALUES (?, ?, ?, ?, ?)')
        .run(id, label, expectedCount, now.toISOString(), actor);
      this.audit.append('batch.opened', actor, { batchId: id, label, expectedCount }, now);
    }).immediate();
    return ok(this.get(id)!);
  }

  close(batchId: string, physicalCount: number, actor: string, now: Date): Result<BatchSummary, BatchError> {
    const b = this.get(batchId);
    if (!b) return err({ code: 'not_found', message: 'No such tray.' });
    if (b.closedAt) return err({ code: 'conflict', message: `Tray ${b.label} is already closed.` });
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE batches SET closed_at = ?, closed_by = ?, physical_count = ? WHERE id = ? AND closed_at IS NULL')
        .run(now.toISOString(), actor, physicalCount, batchId);
      this.audit.append(
        'batch.closed',
        actor,
        { batchId, label: b.label, scanned: b.scannedCount, physicalCount, discrepancy: physicalCount - b.scannedCount },
        now,
      );
    }).immediate();
    return ok(this.get(batchId)!);
  }
}
