// Decisions the central server refused (409: the rules of contracts.md §4 say no, e.g. the
// member's other envelope already counts at another desk). A desk judges a decision from what
// it knows; the server knows more. A refused decision stays in `decisions` (nothing is
// deleted) and gets a row here, which takes it out of the flag's current decision, so the
// flag is open again (or back at its earlier decision) and the statement never counts it.
import type { Migration } from '../db';

export const migration004: Migration = {
  version: 4,
  description: 'decision_refusals: decisions the central server refused',
  up(db) {
    db.exec(`
      CREATE TABLE decision_refusals (
        decision_id TEXT NOT NULL PRIMARY KEY REFERENCES decisions(id),
        reason TEXT NOT NULL,
        refused_at TEXT NOT NULL
      );
      CREATE TRIGGER decision_refusals_no_update BEFORE UPDATE ON decision_refusals
        BEGIN SELECT RAISE(ABORT, 'decision refusals are appended, never changed'); END;
      CREATE TRIGGER decision_refusals_no_delete BEFORE DELETE ON decision_refusals
        BEGIN SELECT RAISE(ABORT, 'decision refusals are appended, never changed'); END;
    `);
  },
};
