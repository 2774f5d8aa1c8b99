// Trays of envelopes (batches): one open at a time per workstation. Each tray has its pockets
// (SET-ASIDE, LATE: shared/places.ts) where flagged envelopes go; every receipt has a place and
// a position there (ledger/places.ts), which is how a supervisor finds the physical envelope.
// Closing counts the tray itself and each pocket, and checks them against the scans, each
// envelope once however often it was read.
import { randomUUID } from 'node:crypto';
import type { BatchSummary } from '../../../../shared/api/types';
import { PLACES, POCKETS, type Place, type Pocket } from '../../../../shared/places';
import { err, ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import { TrayPlaces } from './places';
import { closingCheck, placeCounts } from './tray-counts';

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

export type BatchError = { code: 'conflict' | 'not_found'; message: string };

/** What was counted at close: the tray itself, and each pocket (an empty pocket may be left out: 0). */
export interface ClosingCounts {
  tray: number;
  pockets?: Partial<Record<Pocket, number>> | undefined;
}

export class Batches {
  private readonly openStmt;
  private readonly placeCountsStmt;
  readonly places: TrayPlaces;
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.openStmt = db.prepare<[], { id: string; label: string }>('SELECT id, label FROM batches WHERE closed_at IS NULL');
    this.placeCountsStmt = db.prepare<[string], { place: Place; physical_count: number }>(
      'SELECT place, physical_count FROM batch_place_counts WHERE batch_id = ?',
    );
    this.places = new TrayPlaces(db);
  }

  private summary(r: BatchRow): BatchSummary {
    const expected = this.places.counts(r.id);
    const envelopeCount = PLACES.reduce((s, p) => s + expected[p], 0);
    const rows = this.placeCountsStmt.all(r.id);
    const counted = rows.length > 0 ? (Object.fromEntries(rows.map((c) => [c.place, c.physical_count])) as Partial<Record<Place, number>>) : null;
    const places = placeCounts(expected, counted);
    const { discrepancy, words } = closingCheck({ physicalCount: r.physical_count, receipts: r.scanned, envelopes: envelopeCount, places });
    return {
      id: r.id,
      label: r.label,
      expectedCount: r.expected_count,
      scannedCount: r.scanned,
      flaggedCount: r.flagged,
      physicalCount: r.physical_count,
      discrepancy,
      envelopeCount,
      places,
      discrepancyWords: words,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      openedBy: r.opened_by,
    };
  }

  /** The open tray, cheaply (on the scan path). */
  openBatch(): { id: string; label: string } | null {
    return this.openStmt.get() ?? null;
  }

  openSummary(): BatchSummary | null {
    const r = this.db.prepare(`${SELECT_BATCH} WHERE b.closed_at IS NULL`).get() as BatchRow | undefined;
    return r ? this.summary(r) : null;
  }

  get(id: string): BatchSummary | null {
    const r = this.db.prepare(`${SELECT_BATCH} WHERE b.id = ?`).get(id) as BatchRow | undefined;
    return r ? this.summary(r) : null;
  }

  list(): BatchSummary[] {
    return (this.db.prepare(`${SELECT_BATCH} ORDER BY b.opened_at DESC`).all() as BatchRow[]).map((r) => this.summary(r));
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

  /**
   * Closes a tray with what was counted in the tray itself and in each pocket; the whole
   * count (`physical_count`) and each place's are kept, and checked against the scans.
   */
  close(batchId: string, counts: ClosingCounts, actor: string, now: Date): Result<BatchSummary, BatchError> {
    const b = this.get(batchId);
    if (!b) return err({ code: 'not_found', message: 'No such tray.' });
    if (b.closedAt) return err({ code: 'conflict', message: `Tray ${b.label} is already closed.` });
    const byPlace: Record<Place, number> = { tray: counts.tray, ...Object.fromEntries(POCKETS.map((p) => [p, counts.pockets?.[p] ?? 0])) } as Record<Place, number>;
    const total = PLACES.reduce((s, p) => s + byPlace[p], 0);
    this.db.transaction(() => {
      const closed = this.db
        .prepare('UPDATE batches SET closed_at = ?, closed_by = ?, physical_count = ? WHERE id = ? AND closed_at IS NULL')
        .run(now.toISOString(), actor, total, batchId);
      if (closed.changes === 0) return;
      const insert = this.db.prepare('INSERT INTO batch_place_counts (batch_id, place, physical_count) VALUES (?, ?, ?)');
      for (const p of PLACES) insert.run(batchId, p, byPlace[p]);
      const after = this.get(batchId)!;
      this.audit.append(
        'batch.closed',
        actor,
        {
          batchId,
          label: b.label,
          // physical envelopes by the scans (each once), against everything counted
          scanned: after.envelopeCount,
          receipts: after.scannedCount,
          physicalCount: total,
          discrepancy: after.discrepancy,
          places: Object.fromEntries(after.places.map((p) => [p.place, { scanned: p.expected, counted: p.counted }])),
        },
        now,
      );
    }).immediate();
    return ok(this.get(batchId)!);
  }
}
