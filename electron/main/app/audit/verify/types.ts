// What the audit check's parts share: an entry as stored, a parsed detail, and where the
// check found the log or a record broken.

/** One audit entry as stored. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  event: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** An entry's detail, parsed. */
export type Detail = Record<string, unknown>;

/** The first entry found broken, and what is wrong, in words. */
export type Broken = { seq: number; problem: string };

// Rows are fetched in pages with .all(): cheaper per row than .iterate(), and a page of a
// thousand rows keeps memory flat.
export const PAGE = 1000;

