// Indexes by time: "today's totals" on the scan screen and the dashboard look up the first
// audit entry and the receipts of today, which without these meant reading the whole log
// and every receipt of the election on each refresh.
import type { Migration } from '../db';

export const migration002: Migration = {
  version: 2,
  description: 'indexes on audit(at) and receipts(scanned_at)',
  up(db) {
    db.exec(`
      CREATE INDEX audit_at ON audit(at);
      CREATE INDEX receipts_scanned_at ON receipts(scanned_at);
    `);
  },
};
