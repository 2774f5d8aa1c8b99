// The central server's own final words, per request, in one place. Only an answer that is
// application/problem+json, parses, and carries an `error` listed here for that request (with
// its status) is the server's final word about the request; every other failure is a
// transport failure, retried with backoff and never recorded against an item (contracts.md §3;
// server/routes and server/ledger give these words). A proxy's error page, a 4xx or 5xx without
// one of these words, or 413 are never final: nothing is ever refused on a middlebox's say-so.
// Beside the protocol, typed by the server's own list of words (problem-words.ts), so the desk
// and the server cannot drift apart.
import type { ProblemWord } from './problem-words';

/** The requests the desk makes to the central server. */
export type CentralRequest =
  | 'enrol'
  | 'election'
  | 'register'
  | 'receipts'
  | 'changes'
  | 'resolution'
  | 'auditHead'
  | 'latestAuditHead'
  | 'centreSummary';

export interface FinalWord {
  status: number;
  error: ProblemWord;
}

const word = (status: number, error: ProblemWord): FinalWord => ({ status, error });

/** A request the server refused whole because it does not match the protocol (unknown fields, bad values). */
const INVALID_REQUEST = word(400, 'invalid_request');

export const FINAL_WORDS: Record<CentralRequest, readonly FinalWord[]> = {
  enrol: [
    INVALID_REQUEST,
    word(401, 'unknown_enrolment_code'),
    word(409, 'enrolment_code_used'),
    word(410, 'enrolment_code_expired'),
    // a person is at the screen: told to wait a minute rather than retried behind their back
    word(429, 'rate_limited'),
  ],
  // Reads: nothing in them is about an item, so no answer but the data ends them.
  election: [],
  register: [],
  changes: [],
  centreSummary: [],
  // One receipt's content is judged per item in a 200; the request as a whole is refused only
  // when it does not match the protocol (found item by item by splitting the batch).
  receipts: [INVALID_REQUEST],
  resolution: [
    INVALID_REQUEST,
    word(404, 'not_found'), // the flag is not this centre's
    word(403, 'own_scan'), // the supervisor scanned this envelope
    word(409, 'conflict'), // this resolutionId was used for another resolution
    word(409, 'online_vote_counted'),
    word(409, 'member_vote_counted'),
    word(409, 'envelope_counted'), // another receipt of this envelope is already counted
  ],
  auditHead: [INVALID_REQUEST, word(409, 'audit_history_rewritten')],
  // "none witnessed yet" (an older server without the route says the same: nothing to compare)
  latestAuditHead: [word(404, 'not_found')],
};

/** True when (status, error) is the server's final word on `request`. */
export function isFinalWord(request: CentralRequest, status: number, error: string | undefined): boolean {
  if (error === undefined) return false;
  return FINAL_WORDS[request].some((w) => w.status === status && w.error === error);
}

/** The server's own 401: the token is unknown or revoked (enrol again). */
export const UNAUTHORIZED = word(401, 'unauthorized');
