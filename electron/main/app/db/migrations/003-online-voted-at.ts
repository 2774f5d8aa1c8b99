// When a member voted online: the server's register feed now carries the redemption time, so a
// supervisor opening an online_vote_cast flag sees when the online vote came in, not only that
// it did. Nullable: a register file imported at the desk has no such time, and an online vote
// the desk learned of before this upgrade stays without one (the feed is not read again for it).
import type { Migration } from '../db';

export const migration003: Migration = {
  version: 3,
  description: 'register_a/register_b.online_voted_at',
  up(db) {
    // ADD COLUMN without a default only changes the schema: no rewrite of a 10-million-row copy.
    db.exec(`
      ALTER TABLE register_a ADD COLUMN online_voted_at TEXT;
      ALTER TABLE register_b ADD COLUMN online_voted_at TEXT;
    `);
  },
};
