// POST /v1/flags/{flagId}/resolution: a supervisor's decision on a flagged envelope
// (contracts.md §3–§4). Appended, never changed; idempotent on resolutionId. A `count` is
// checked against the one-vote rule inside the transaction, under the member's row lock (or
// the barcode's lock for an envelope not on the register), and deactivates the online code
// like an accepted receipt does. The current decision of a flag is its resolution with the
// highest `seq`: the order the database committed them in, whatever the processes' clocks.
import type { Decision } from '../../shared/domain';
import { err, ok, type Result } from '../../shared/result';
import type { ResolutionOut } from '../../shared/protocol/central-api';
import { retryingTransaction, type Db } from '../db/db';
import { refuse, type Refusal } from '../http/problem';
import { appendEvents } from './events';
import { lockEnvelopes, shareRegisterGate, StartAgain } from './locks';

export interface ResolutionIn {
  resolutionId: string;
  decision: Decision;
  note: string;
  supervisorId: string;
  decidedAt: string;
}

interface FlagRow {
  flag_id: string;
  receipt_id: string;
  centre_id: string;
  election_number: number;
  member_id: number | null;
  kind: string;
  related_receipt_ids: string[];
  operator_id: string;
  barcode: string;
}

export async function resolveFlag(
  db: Db,
  ws: { deviceId: string; centreId: string },
  flagId: string,
  input: ResolutionIn,
  now: () => Date,
): Promise<Result<ResolutionOut, Refusal>> {
  return retryingTransaction(db, async (tx) => {
    const { rows: flags } = await tx.query<FlagRow>(
      `select f.flag_id::text, f.receipt_id::text, f.centre_id, f.election_number, r.member_id, f.kind, f.related_receipt_ids, r.operator_id, r.barcode
         from flags f join receipts r on r.receipt_id = f.receipt_id where f.flag_id = $1`,
      [flagId],
    );
    const flag = flags[0];
    // Another centre's flag is not this workstation's business: it does not exist for it.
    if (!flag || flag.centre_id !== ws.centreId) return err(refuse(404, 'no such flag at this centre', 'not_found'));

    const resolutionId = input.resolutionId.toLowerCase();
    const { rows: earlier } = await tx.query<ResolutionRow>(
      `select resolution_id::text, flag_id::text, decision, note, supervisor_id, decided_at, recorded_at, seq
         from resolutions where resolution_id = $1`,
      [resolutionId],
    );
    if (earlier[0]) {
      const same =
        earlier[0].flag_id === flag.flag_id &&
        earlier[0].decision === input.decision &&
        earlier[0].note === input.note &&
        earlier[0].supervisor_id === input.supervisorId &&
        earlier[0].decided_at.getTime() === Date.parse(input.decidedAt);
      if (!same) return err(refuse(409, 'this resolutionId was already used for a different resolution', 'conflict'));
      return ok(toOut(earlier[0]));
    }
    if (input.supervisorId === flag.operator_id)
      return err(refuse(403, 'a supervisor cannot decide on an envelope they scanned', 'own_scan'));

    // The locks of locks.ts, in their order. An envelope not on the register has no member
    // to lock: its barcode is locked instead, under the register gate, so that no import ties
    // it to a member while this decision is taken.
    let memberChange: { state: string; counted: string | null } | null = null;
    if (flag.member_id === null) {
      await shareRegisterGate(tx, flag.election_number);
      await lockEnvelopes(tx, flag.election_number, [flag.barcode]);
      const { rows: now } = await tx.query<{ member_id: number | null }>(`select member_id from receipts where receipt_id = $1`, [flag.receipt_id]);
      if (now[0]!.member_id !== null) throw new StartAgain('the envelope was tied to its member meanwhile');
    } else {
      const { rows } = await tx.query<{ code_state: string; counted_receipt_id: string | null; has_code: boolean }>(
        `select code_state, counted_receipt_id::text, code_hash is not null as has_code from members where member_id = $1 for update`,
        [flag.member_id],
      );
      const member = rows[0]!;
      if (input.decision === 'count') {
        if (flag.kind === 'online_vote_cast' || member.code_state === 'redeemed')
          return err(refuse(409, 'the member voted online: this envelope cannot be counted', 'online_vote_counted'));
        if (member.counted_receipt_id !== null && member.counted_receipt_id !== flag.receipt_id)
          return err(refuse(409, 'another envelope of this member is already counted', 'member_vote_counted'));
        memberChange = { state: member.has_code ? 'deactivated' : member.code_state, counted: flag.receipt_id };
      } else if (member.counted_receipt_id === flag.receipt_id) {
        // A later decision replaces an earlier `count`: the envelope no longer counts. The online
        // code stays deactivated (codes never come back: the member may have been told so).
        memberChange = { state: member.code_state, counted: null };
      }
    }
    // Decisions on one flag one at a time, so their seq order is their commit order.
    await tx.query(`select 1 from flags where flag_id = $1 for update`, [flag.flag_id]);
    if (input.decision === 'count') {
      if (flag.kind === 'online_vote_cast') return err(refuse(409, 'an online_vote_cast flag cannot be counted', 'online_vote_counted'));
      // At most one receipt of a barcode ever counts (for a known pack the member's counted
      // receipt already says so; an unregistered one is checked here, under its barcode lock).
      if (flag.member_id === null) {
        const { rows: counted } = await tx.query(
          `select 1 from receipts r join flags f on f.receipt_id = r.receipt_id
             where r.election_number = $1 and r.barcode = $2 and r.receipt_id <> $3
               and (select x.decision from resolutions x where x.flag_id = f.flag_id order by x.seq desc limit 1) = 'count'`,
          [flag.election_number, flag.barcode, flag.receipt_id],
        );
        if (counted.length > 0) return err(refuse(409, 'another receipt of this envelope is already counted', 'envelope_counted'));
      }
    }

    const recordedAt = now().toISOString();
    const inserted = await tx.query<ResolutionRow>(
      `insert into resolutions (resolution_id, flag_id, decision, note, supervisor_id, decided_at, recorded_at, device_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (resolution_id) do nothing
       returning resolution_id::text, flag_id::text, decision, note, supervisor_id, decided_at, recorded_at, seq`,
      [resolutionId, flag.flag_id, input.decision, input.note, input.supervisorId, input.decidedAt, recordedAt, ws.deviceId],
    );
    if (inserted.rowCount === 0) throw Object.assign(new Error('resolution stored concurrently'), { code: '23505' });
    if (memberChange)
      await tx.query(`update members set code_state = $2, counted_receipt_id = $3 where member_id = $1`, [
        flag.member_id,
        memberChange.state,
        memberChange.counted,
      ]);
    const out = toOut(inserted.rows[0]!);
    // The flagged receipt's centre, and the centres whose receipts the flag names, learn of it.
    const { rows: related } = await tx.query<{ centre_id: string }>(
      `select distinct centre_id from receipts where receipt_id = any($1::uuid[])`,
      [flag.related_receipt_ids],
    );
    await appendEvents(
      tx,
      flag.election_number,
      [],
      [{ centreIds: [flag.centre_id, ...related.map((r) => r.centre_id)], payload: { type: 'flag_resolved', resolution: { ...out, centreId: flag.centre_id } } }],
      recordedAt,
    );
    return ok(out);
  });
}

interface ResolutionRow {
  resolution_id: string;
  flag_id: string;
  decision: Decision;
  note: string;
  supervisor_id: string;
  decided_at: Date;
  recorded_at: Date;
  seq: number;
}

function toOut(r: ResolutionRow): ResolutionOut {
  return {
    resolutionId: r.resolution_id,
    flagId: r.flag_id,
    decision: r.decision,
    note: r.note,
    supervisorId: r.supervisor_id,
    decidedAt: r.decided_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    seq: r.seq,
  };
}
