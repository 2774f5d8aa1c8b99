// Writes to the two register tables (register_a, register_b). Used by the main thread (server
// fills, incremental changes, the flip) and by the import worker on its own connection, so it
// takes a connection and a table name and keeps no state of its own.
import type { RegisterStatus } from '../../../../shared/domain';
import type { Db } from '../db/open';
import type { RegisterTable } from './lookup';

/** One register entry as the desk keeps it (contracts.md §3 GET /v1/register, no online code). */
export interface RegisterEntryIn {
  ballotNumber: number;
  issue: number;
  status: RegisterStatus;
  memberRef: string;
  onlineVoted?: boolean;
}

export const otherTable = (t: RegisterTable): RegisterTable => (t === 'register_a' ? 'register_b' : 'register_a');
export const tableLetter = (t: RegisterTable): 'a' | 'b' => (t === 'register_a' ? 'a' : 'b');

export function activeTable(db: Db): RegisterTable {
  const s = db.prepare('SELECT active FROM register_state WHERE id = 1').get() as { active: 'a' | 'b' };
  return s.active === 'a' ? 'register_a' : 'register_b';
}

/**
 * Deletes up to `chunk` rows of a table in one short transaction; returns how many went.
 * Emptying a table of millions of rows in one statement would hold the write lock (and so
 * every scan) for seconds.
 */
export function clearChunk(db: Db, table: RegisterTable, chunk: number): number {
  return db
    .prepare(
      `DELETE FROM ${table} WHERE (ballot_number, issue) IN (SELECT ballot_number, issue FROM ${table} LIMIT ?)`,
    )
    .run(chunk).changes;
}

/** Prepared writers for one table on one connection. */
export function tableWriter(db: Db, table: RegisterTable) {
  const insertNew = db.prepare(
    `INSERT INTO ${table} (ballot_number, issue, status, member_ref, online_voted) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (ballot_number, issue) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE ${table} SET status = ?, member_ref = ?, online_voted = ? WHERE ballot_number = ? AND issue = ?`,
  );
  return {
    /** inserts a pack that must be new; false when the pack is already in the table */
    insertNew(e: RegisterEntryIn): boolean {
      return insertNew.run(e.ballotNumber, e.issue, e.status, e.memberRef, e.onlineVoted ? 1 : 0).changes === 1;
    },
    /** inserts or replaces a pack; true when it was new */
    upsert(e: RegisterEntryIn): boolean {
      if (insertNew.run(e.ballotNumber, e.issue, e.status, e.memberRef, e.onlineVoted ? 1 : 0).changes === 1) return true;
      update.run(e.status, e.memberRef, e.onlineVoted ? 1 : 0, e.ballotNumber, e.issue);
      return false;
    },
  };
}
