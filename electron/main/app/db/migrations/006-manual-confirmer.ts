// Issue 15 item 3: a manual entry (an envelope typed, not scanned) is confirmed by a second
// person, a supervisor other than the operator, with their PIN. The receipt keeps who that was;
// NULL for scans and for manual entries recorded before this migration.
import type { Migration } from '../db';

export const migration006: Migration = {
  version: 6,
  description: 'receipts.confirmed_by: the supervisor who confirmed a manual entry',
  up(db) {
    db.exec(`ALTER TABLE receipts ADD COLUMN confirmed_by TEXT REFERENCES people(id);`);
  },
};
