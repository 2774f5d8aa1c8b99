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
  /** when the member voted online, as the server says; a register file never knows it */
  onlineVotedAt?: string | null;
}

// The columns every writer below fills, in this order; the import worker writes through these
// writers too, and a register file has no online-vote time, so its rows get NULL there.
const COLUMNS = 'ballot_number, issue, status, member_ref, online_voted, online_voted_at';
const PER_ROW = 6;
const ROW_PLACEHOLDERS = `(${'?, '.repeat(PER_ROW - 1)}?)`;

const rowValues = (e: RegisterEntryIn): [number, number, string, string, number, string | null] => [
  e.ballotNumber,
  e.issue,
  e.status,
  e.memberRef,
  e.onlineVoted ? 1 : 0,
  e.onlineVotedAt ?? null,
];

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

// Rows per multi-row INSERT: one call into SQLite per group instead of per row is what makes
// ten million rows fit in well under a minute.
const GROUP = 64;
const DUPLICATE_IN_GROUP = new Error('a pack of this group is already in the table');

/** Prepared writers for one table on one connection. */
export function tableWriter(db: Db, table: RegisterTable) {
  const insertGroup = db.prepare(
    `INSERT INTO ${table} (${COLUMNS}) VALUES ${`${ROW_PLACEHOLDERS}, `.repeat(GROUP - 1)}${ROW_PLACEHOLDERS}
     ON CONFLICT (ballot_number, issue) DO NOTHING`,
  );
  const params: Array<string | number | null> = new Array(GROUP * PER_ROW);
  // A savepoint: a group with a duplicate is undone and then written row by row to find it.
  const group = db.transaction(() => {
    if (insertGroup.run(params).changes !== GROUP) throw DUPLICATE_IN_GROUP;
  });
  const insertNew = db.prepare(
    `INSERT INTO ${table} (${COLUMNS}) VALUES ${ROW_PLACEHOLDERS}
     ON CONFLICT (ballot_number, issue) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE ${table} SET status = ?, member_ref = ?, online_voted = ?, online_voted_at = ? WHERE ballot_number = ? AND issue = ?`,
  );
  const one = (e: RegisterEntryIn) => insertNew.run(rowValues(e)).changes === 1;
  return {
    /**
     * Inserts packs that must be new (call inside a transaction); `duplicate` is told of each
     * one already in the table (or twice in `entries`), which is then not written.
     */
    insertAllNew<E extends RegisterEntryIn>(entries: readonly E[], duplicate: (e: E) => void): void {
      let i = 0;
      for (; i + GROUP <= entries.length; i += GROUP) {
        for (let j = 0; j < GROUP; j++) {
          const e = entries[i + j]!;
          const k = j * PER_ROW;
          params[k] = e.ballotNumber;
          params[k + 1] = e.issue;
          params[k + 2] = e.status;
          params[k + 3] = e.memberRef;
          params[k + 4] = e.onlineVoted ? 1 : 0;
          params[k + 5] = e.onlineVotedAt ?? null;
        }
        try {
          group();
        } catch (err) {
          if (err !== DUPLICATE_IN_GROUP) throw err;
          for (let j = 0; j < GROUP; j++) if (!one(entries[i + j]!)) duplicate(entries[i + j]!);
        }
      }
      for (; i < entries.length; i++) if (!one(entries[i]!)) duplicate(entries[i]!);
    },
    /** inserts a pack that must be new; false when the pack is already in the table */
    insertNew(e: RegisterEntryIn): boolean {
      return one(e);
    },
    /** inserts or replaces a pack; true when it was new */
    upsert(e: RegisterEntryIn): boolean {
      if (one(e)) return true;
      update.run(e.status, e.memberRef, e.onlineVoted ? 1 : 0, e.onlineVotedAt ?? null, e.ballotNumber, e.issue);
      return false;
    },
  };
}
