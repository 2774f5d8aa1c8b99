// A flag's current decision, in SQL, for every query that needs it (the review, the dashboard,
// the statement, the exports): its latest decision by decision time, then by arrival, leaving
// out decisions the central server refused (decision_refusals). One definition, so a flag is
// in the same state on every screen and in every file.

/** A decision `d` the server has not refused (one primary-key probe; NULL-safe, unlike NOT IN). */
const NOT_REFUSED = 'NOT EXISTS (SELECT 1 FROM decision_refusals x WHERE x.decision_id = d.id)';

/** The current decision of the flag aliased `flag` (a correlated subquery; NULL when none). */
export function currentDecisionOf(flag = 'f'): string {
  return `(SELECT d.decision FROM decisions d
            WHERE d.flag_id = ${flag}.id AND ${NOT_REFUSED}
            ORDER BY d.decided_at DESC, d.rowid DESC LIMIT 1)`;
}

/** True when the flag aliased `flag` has no current decision (open). */
export function hasNoDecision(flag = 'f'): string {
  return `NOT EXISTS (SELECT 1 FROM decisions d WHERE d.flag_id = ${flag}.id AND ${NOT_REFUSED})`;
}
