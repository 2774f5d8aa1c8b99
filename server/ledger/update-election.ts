// PATCH /v1/admin/elections/{electionNumber}: the returning officer moves the closing time or
// renames the election. The server judges `late_return` from elections.closes_at on every
// receipt batch, so the new close holds for the next batch in every process; workstations
// learn it at their next sync (GET /v1/election) and judge by it from then on.
// Receipts already judged keep their verdicts: a receipt's result is stored and answered
// again unchanged on a resend (idempotency), whatever the close is now.
//
// Because the close decides which envelopes are late, who moved it and from what to what is
// kept in admin_events, written in this same transaction: no change without its record.
import { err, ok, type Result } from '../../shared/result';
import type { UpdateElectionRequest } from '../../shared/protocol/central-api';
import type { Db } from '../db/db';
import { refuse, type Refusal } from '../http/problem';
import { recordAdminEvent } from './admin-events';

export interface ElectionState {
  electionNumber: number;
  name: string;
  closesAt: string;
}

export interface ElectionUpdate {
  before: ElectionState;
  after: ElectionState;
}

interface ElectionRow {
  name: string;
  closes_at: Date;
}

const stateOf = (electionNumber: number, row: ElectionRow): ElectionState => ({
  electionNumber,
  name: row.name,
  closesAt: row.closes_at.toISOString(),
});

/** `by`: the admin token's id and the server's time, for the record. */
export async function updateElection(
  db: Db,
  electionNumber: number,
  changes: UpdateElectionRequest,
  by: { actor: string; at: Date },
): Promise<Result<ElectionUpdate, Refusal>> {
  return db.transaction(async (tx) => {
    // The row lock makes `before` the value this update replaced, even with two admins at once.
    const { rows: current } = await tx.query<ElectionRow>(`select name, closes_at from elections where election_number = $1 for update`, [electionNumber]);
    if (!current[0]) return err(refuse(404, `election ${electionNumber} does not exist`, 'not_found'));
    const { rows: updated } = await tx.query<ElectionRow>(
      `update elections set name = coalesce($2, name), closes_at = coalesce($3::timestamptz, closes_at)
        where election_number = $1 returning name, closes_at`,
      [electionNumber, changes.name ?? null, changes.closesAt ?? null],
    );
    const update = { before: stateOf(electionNumber, current[0]), after: stateOf(electionNumber, updated[0]!) };
    await recordAdminEvent(tx, { at: by.at.toISOString(), actor: by.actor, action: 'election.updated', detail: { ...update } });
    return ok(update);
  });
}
