// An import that adds the pack of envelopes already received (flagged `unknown_ballot`, stored
// with no member) ties them to their member in its own transaction, and applies the one-vote
// rule to them there and then (contracts.md §3):
//   - an envelope a supervisor decided to `count` becomes the member's vote: the online code is
//     deactivated, as for any counted envelope;
//   - unless the member already has a vote (redeemed online meanwhile, or another envelope
//     counts): then this envelope can no longer count, and the server appends an `escalate`
//     decision saying why, so the flag is open again for the returning officer and every desk
//     of its centre learns it from the changes feed. Nothing is deleted; the supervisor's
//     `count` stays in the record beneath it.
import type { Queryable } from '../db/db';
import { appendEvents, type PendingChange } from '../ledger/events';
import { closeRegisterGate } from '../ledger/locks';

/** Who the server's own decisions are recorded as (never a person's id). */
export const SERVER_DECIDER = 'central-server';

interface CountedLink {
  receipt_id: string;
  member_id: number;
  flag_id: string;
  centre_id: string;
}

/** Returns how many receipts were tied to their member. Call after the import's ballots are written. */
export async function linkUnregisteredReceipts(tx: Queryable, electionNumber: number, at: string): Promise<number> {
  // Waits for every receipt and decision on an unregistered envelope in flight, and holds new
  // ones until this transaction ends (locks.ts): none can be stored unlinked behind our back.
  await closeRegisterGate(tx, electionNumber);
  const { rows: linked } = await tx.query<{ receipt_id: string; member_id: number; flag_id: string | null }>(
    `update receipts r set member_id = b.member_id
       from ballots b
      where r.election_number = $1 and r.member_id is null
        and b.election_number = $1 and b.ballot_number = substr(r.barcode, 5, 9)::int and b.issue = substr(r.barcode, 14, 1)::int
      returning r.receipt_id::text, r.member_id, r.flag_id::text`,
    [electionNumber],
  );
  if (linked.length === 0) return 0;
  await tx.query(
    `update flags f set member_id = r.member_id from receipts r
      where r.receipt_id = any($1::uuid[]) and f.receipt_id = r.receipt_id`,
    [linked.map((l) => l.receipt_id)],
  );

  // The linked envelopes a supervisor decided to count, each member's in the order the
  // decisions committed (the first keeps its vote).
  const { rows: counted } = await tx.query<CountedLink>(
    `select r.receipt_id::text, r.member_id, f.flag_id::text, f.centre_id
       from receipts r join flags f on f.receipt_id = r.receipt_id
       cross join lateral (select x.decision, x.seq from resolutions x where x.flag_id = f.flag_id order by x.seq desc limit 1) cur
      where r.receipt_id = any($1::uuid[]) and cur.decision = 'count'
      order by r.member_id, cur.seq`,
    [linked.map((l) => l.receipt_id)],
  );
  if (counted.length === 0) return linked.length;

  const memberIds = [...new Set(counted.map((c) => c.member_id))];
  const { rows: members } = await tx.query<{ member_id: number; code_state: string; has_code: boolean; counted_receipt_id: string | null; redeemed_at: Date | null }>(
    `select member_id, code_state, code_hash is not null as has_code, counted_receipt_id::text, redeemed_at
       from members where member_id = any($1::bigint[]) order by member_id for update`,
    [memberIds],
  );
  const byId = new Map(members.map((m) => [m.member_id, m]));
  const escalations: Array<{ link: CountedLink; note: string }> = [];
  for (const link of counted) {
    const m = byId.get(link.member_id)!;
    if (m.code_state === 'redeemed') {
      const when = m.redeemed_at ? ` at ${m.redeemed_at.toISOString()}` : '';
      escalations.push({ link, note: `The member voted online${when}, before this pack was on the register: this envelope can no longer count. Referred to the returning officer.` });
    } else if (m.counted_receipt_id !== null && m.counted_receipt_id !== link.receipt_id) {
      escalations.push({ link, note: 'Another envelope of this member already counts, now that this pack is on the register: this envelope can no longer count. Referred to the returning officer.' });
    } else {
      m.counted_receipt_id = link.receipt_id;
      if (m.has_code) m.code_state = 'deactivated';
      await tx.query(`update members set code_state = $2, counted_receipt_id = $3 where member_id = $1`, [m.member_id, m.code_state, link.receipt_id]);
    }
  }
  if (escalations.length === 0) return linked.length;

  // Appended after the member locks, flag rows last (the order of locks.ts).
  const flagIds = escalations.map((e) => e.link.flag_id);
  await tx.query(`select 1 from flags where flag_id = any($1::uuid[]) order by flag_id for update`, [flagIds]);
  const { rows: written } = await tx.query<{ resolution_id: string; flag_id: string; note: string; seq: number }>(
    `insert into resolutions (resolution_id, flag_id, decision, note, supervisor_id, decided_at, recorded_at, device_id)
     select gen_random_uuid(), u.flag_id, 'escalate', u.note, $1, $2, $2, $1
       from unnest($3::uuid[], $4::text[]) as u(flag_id, note)
     returning resolution_id::text, flag_id::text, note, seq`,
    [SERVER_DECIDER, at, flagIds, escalations.map((e) => e.note)],
  );
  const centreOf = new Map(escalations.map((e) => [e.link.flag_id, e.link.centre_id]));
  const changes: PendingChange[] = written.map((w) => ({
    centreIds: [centreOf.get(w.flag_id)!],
    payload: {
      type: 'flag_resolved',
      resolution: {
        resolutionId: w.resolution_id,
        flagId: w.flag_id,
        decision: 'escalate',
        note: w.note,
        supervisorId: SERVER_DECIDER,
        decidedAt: at,
        recordedAt: at,
        seq: w.seq,
        centreId: centreOf.get(w.flag_id)!,
      },
    },
  }));
  await appendEvents(tx, electionNumber, [], changes, at);
  return linked.length;
}
