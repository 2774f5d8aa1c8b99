// A flag's current decision, in SQL, for every query that needs it (the review, the dashboard,
// the statement, the exports), leaving out decisions the central server refused
// (decision_refusals, unless a resend was accepted: decision_refusal_lifts). One definition, so
// a flag is in the same state on every screen and in every file.
//
// Order: the server's commit order where it gave one (contracts.md §3: the current decision is
// the one the server committed last, a database sequence, not a clock), so desks whose clocks
// disagree, or a clock corrected between two decisions, still agree with the server on a
// flag's decision. Decisions the server has without an order (an older server, or known before
// migration 005) come first, by decision time; decisions not on the server yet (waiting here)
// come last, in the order they were made here: the order the outbox sends them in, so the
// order the server will commit them in.

/** A decision `d` the server has not refused, or whose refusal a later acceptance lifted (primary-key probes; NULL-safe). */
const NOT_REFUSED = `NOT EXISTS (SELECT 1 FROM decision_refusals x WHERE x.decision_id = d.id
  AND NOT EXISTS (SELECT 1 FROM decision_refusal_lifts l WHERE l.decision_id = d.id))`;

/** Sort keys of a decision `d` with its server order `so` (LEFT JOINed), oldest first. */
const ORDER_KEYS = [
  'CASE WHEN so.decision_id IS NULL THEN 2 WHEN so.server_seq IS NULL THEN 0 ELSE 1 END',
  'so.server_seq',
  'CASE WHEN so.decision_id IS NULL THEN d.rowid END',
  'd.decided_at',
  'd.rowid',
];

/** ORDER BY terms for a flag's decisions `d` (joined with `decision_server_order so`), oldest or newest first. */
export function decisionOrder(direction: 'ASC' | 'DESC'): string {
  return ORDER_KEYS.map((k) => `${k} ${direction}`).join(', ');
}

/** The join that `decisionOrder` needs. */
export const SERVER_ORDER_JOIN = 'LEFT JOIN decision_server_order so ON so.decision_id = d.id';

/** The current decision of the flag aliased `flag` (a correlated subquery; NULL when none). */
export function currentDecisionOf(flag = 'f'): string {
  return `(SELECT d.decision FROM decisions d ${SERVER_ORDER_JOIN}
            WHERE d.flag_id = ${flag}.id AND ${NOT_REFUSED}
            ORDER BY ${decisionOrder('DESC')} LIMIT 1)`;
}

/** True when the flag aliased `flag` has no current decision (open). */
export function hasNoDecision(flag = 'f'): string {
  return `NOT EXISTS (SELECT 1 FROM decisions d WHERE d.flag_id = ${flag}.id AND ${NOT_REFUSED})`;
}

/** A refusal of decision `d` that still applies (for lists that show it), aliased x. */
export const STANDING_REFUSAL_JOIN = `LEFT JOIN decision_refusals x ON x.decision_id = d.id
  AND NOT EXISTS (SELECT 1 FROM decision_refusal_lifts l WHERE l.decision_id = d.id)`;
