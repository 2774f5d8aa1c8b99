// Where each envelope of a tray physically is: the tray itself or one of its pockets
// (shared/places.ts), and its position there. Written once per receipt, in the scan's own
// transaction (migration 008). A re-scan of an envelope already in this tray moves that
// envelope (the operator takes it out and puts it where the new verdict says): one envelope,
// not two, so the tray's count never holds it twice.
import type { FlagKind } from '../../../../shared/domain';
import { FLAG_POCKETS, locationWords, PLACES, type Place } from '../../../../shared/places';
import type { Db } from '../db/open';

export interface EnvelopeLocation {
  batchId: string;
  batchLabel: string;
  place: Place;
  /** 1 = the first envelope in that place, counting only envelopes that are still there */
  position: number;
  /** the receipt whose verdict put the envelope there: a later re-scan when the envelope was moved */
  byReceiptId: string;
}

/** Receipts `r` that are the latest of their envelope in their tray (a re-scan moved the others). */
export const LATEST_OF_ENVELOPE = `NOT EXISTS (SELECT 1 FROM receipts later
  WHERE later.batch_id = r.batch_id AND later.barcode = r.barcode AND later.seq > r.seq)`;

export class TrayPlaces {
  private readonly stmts;
  constructor(db: Db) {
    this.stmts = {
      previous: db.prepare<[string, string, number], { place: Place }>(
        `SELECT p.place FROM receipts r JOIN receipt_places p ON p.receipt_id = r.id
          WHERE r.batch_id = ? AND r.barcode = ? AND r.seq < ? ORDER BY r.seq DESC LIMIT 1`,
      ),
      insert: db.prepare('INSERT INTO receipt_places (receipt_id, batch_id, place, moved_from) VALUES (?, ?, ?, ?)'),
      putThere: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM receipt_places WHERE batch_id = ? AND place = ?'),
      movedOut: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM receipt_places WHERE batch_id = ? AND moved_from = ?'),
      envelopeReceipt: db.prepare<[string], { id: string; batch_id: string; label: string; seq: number; place: Place | null; kind: FlagKind | null; desk_outcome: string; position: number }>(
        `SELECT r.id, r.batch_id, b.label, r.seq, p.place, f.kind, r.desk_outcome, r.position
           FROM receipts mine
           JOIN receipts r ON r.batch_id = mine.batch_id AND r.barcode = mine.barcode
           LEFT JOIN receipt_places p ON p.receipt_id = r.id
           LEFT JOIN flags f ON f.receipt_id = r.id AND f.raised_by = 'desk'
           JOIN batches b ON b.id = r.batch_id
          WHERE mine.id = ? ORDER BY r.seq DESC LIMIT 1`,
      ),
      rank: db.prepare<[string, string, number], { n: number }>(
        `SELECT count(*) AS n FROM receipt_places p JOIN receipts r ON r.id = p.receipt_id
          WHERE p.batch_id = ? AND p.place = ? AND r.seq <= ? AND ${LATEST_OF_ENVELOPE}`,
      ),
    };
  }

  /**
   * Records where a new receipt's envelope goes (inside the scan's transaction, after its
   * receipt row); returns its position there.
   */
  put(batchId: string, receiptId: string, barcode: string, seq: number, place: Place): number {
    const from = this.stmts.previous.get(batchId, barcode, seq)?.place ?? null;
    this.stmts.insert.run(receiptId, batchId, place, from);
    return this.count(batchId, place);
  }

  /** Envelopes in one place of a tray now, by the scans. */
  count(batchId: string, place: Place): number {
    return this.stmts.putThere.get(batchId, place)!.n - this.stmts.movedOut.get(batchId, place)!.n;
  }

  /** Envelopes in every place of a tray now, by the scans. */
  counts(batchId: string): Record<Place, number> {
    return Object.fromEntries(PLACES.map((p) => [p, this.count(batchId, p)])) as Record<Place, number>;
  }

  /** Where the envelope of a receipt is now (its latest receipt in the tray says), or null for an unknown receipt. */
  locationOf(receiptId: string): EnvelopeLocation | null {
    const r = this.stmts.envelopeReceipt.get(receiptId);
    if (!r) return null;
    // A receipt written without its place (only tools that seed a ledger do): the place its
    // verdict named, and its position among the tray's receipts.
    if (r.place === null) {
      const place: Place = r.desk_outcome === 'flagged' ? FLAG_POCKETS[r.kind ?? 'unknown_ballot'] : 'tray';
      return { batchId: r.batch_id, batchLabel: r.label, place, position: r.position, byReceiptId: r.id };
    }
    return {
      batchId: r.batch_id,
      batchLabel: r.label,
      place: r.place,
      position: this.stmts.rank.get(r.batch_id, r.place, r.seq)!.n,
      byReceiptId: r.id,
    };
  }
}

/** Where the envelope of a receipt is now, in words (flag detail, flags export). */
export function envelopeLocationWords(places: TrayPlaces, receiptId: string): string {
  const l = places.locationOf(receiptId);
  return l ? locationWords(l) : 'not known';
}
