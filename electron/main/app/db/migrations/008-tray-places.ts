// Issue 14 item 3: what the operator's hands do. A flagged envelope is told to go to a pocket
// of its tray (SET-ASIDE, LATE); an accepted one stays in the tray. Two tables, both appended to:
//  - receipt_places: where each receipt's envelope was put when it was scanned (`tray` or a
//    pocket), and, for a re-scan of an envelope already in this tray, where it was taken from
//    (`moved_from`): the envelope moved, it was not a second envelope. An envelope is where its
//    latest receipt in the tray put it; the count of a place is the receipts put there less
//    those moved out, two index counts (no per-envelope work on the scan path).
//  - batch_place_counts: what was counted in each place when the tray was closed.
// Existing receipts get the place their verdict named at the time: a desk flag's pocket
// (late_return: LATE, every other kind: SET-ASIDE), otherwise the tray. Trays closed before
// this migration keep their single count (no rows in batch_place_counts): their discrepancy
// stays the one recorded then.
import type { Migration } from '../db';

export const migration008: Migration = {
  version: 8,
  description: 'receipt_places, batch_place_counts: tray pockets (SET-ASIDE, LATE) and re-scans of one envelope',
  up(db) {
    db.exec(`
      CREATE TABLE receipt_places (
        -- no foreign key to receipts: a receipt removed from outside is for the audit check to
        -- name (audit/verify.ts), not a constraint that stops the removal being looked at
        receipt_id TEXT NOT NULL PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches(id),
        place TEXT NOT NULL CHECK (place IN ('tray', 'SET-ASIDE', 'LATE')),
        moved_from TEXT CHECK (moved_from IN ('tray', 'SET-ASIDE', 'LATE'))
      ) STRICT;
      CREATE INDEX receipt_places_place ON receipt_places(batch_id, place);
      CREATE INDEX receipt_places_moved ON receipt_places(batch_id, moved_from) WHERE moved_from IS NOT NULL;
      -- the earlier receipts of one envelope in one tray (a re-scan), found without reading the tray
      CREATE INDEX receipts_batch_barcode ON receipts(batch_id, barcode, seq);
      CREATE TRIGGER receipt_places_no_update BEFORE UPDATE ON receipt_places
        BEGIN SELECT RAISE(ABORT, 'where an envelope was put is recorded once'); END;
      CREATE TRIGGER receipt_places_no_delete BEFORE DELETE ON receipt_places
        BEGIN SELECT RAISE(ABORT, 'where an envelope was put is recorded once'); END;

      INSERT INTO receipt_places (receipt_id, batch_id, place, moved_from)
        SELECT id, batch_id, place, LAG(place) OVER (PARTITION BY batch_id, barcode ORDER BY seq)
          FROM (SELECT r.id, r.batch_id, r.barcode, r.seq,
                       CASE WHEN r.desk_outcome = 'flagged'
                            THEN CASE WHEN f.kind = 'late_return' THEN 'LATE' ELSE 'SET-ASIDE' END
                            ELSE 'tray' END AS place
                  FROM receipts r LEFT JOIN flags f ON f.receipt_id = r.id AND f.raised_by = 'desk');

      CREATE TABLE batch_place_counts (
        batch_id TEXT NOT NULL REFERENCES batches(id),
        place TEXT NOT NULL CHECK (place IN ('tray', 'SET-ASIDE', 'LATE')),
        physical_count INTEGER NOT NULL CHECK (physical_count >= 0),
        PRIMARY KEY (batch_id, place)
      ) WITHOUT ROWID, STRICT;
      CREATE TRIGGER batch_place_counts_no_update BEFORE UPDATE ON batch_place_counts
        BEGIN SELECT RAISE(ABORT, 'a tray''s counts are recorded once, at close'); END;
      CREATE TRIGGER batch_place_counts_no_delete BEFORE DELETE ON batch_place_counts
        BEGIN SELECT RAISE(ABORT, 'a tray''s counts are recorded once, at close'); END;
    `);
  },
};
