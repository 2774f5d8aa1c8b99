// Feed positions. Register events and change events of one election share one counter row;
// a transaction takes its ids as its LAST step, so the row lock is held only for the commit
// and ids become visible in order: a reader that saw id n never later misses an id below n.
import type { Queryable } from '../db/db';
import type { ChangeEvent, RegisterEntry } from '../../shared/protocol/central-api';

/** Reserves `count` consecutive ids; returns the first. Call last in the transaction. */
export async function reserveEventIds(tx: Queryable, electionNumber: number, count: number): Promise<number> {
  const { rows } = await tx.query<{ last_event_id: number }>(
    `update event_counters set last_event_id = last_event_id + $2 where election_number = $1 returning last_event_id`,
    [electionNumber, count],
  );
  return rows[0]!.last_event_id - count + 1;
}

/** A change event minus its id, addressed to the centres that should see it. */
export interface PendingChange {
  centreIds: string[];
  payload: DistributiveOmit<ChangeEvent, 'eventId'>;
}
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export type PendingRegisterEvent = RegisterEntry;

/** Writes register events and change events with fresh ids (the last step of a transaction). */
export async function appendEvents(
  tx: Queryable,
  electionNumber: number,
  register: PendingRegisterEvent[],
  changes: PendingChange[],
  at: string,
): Promise<void> {
  const total = register.length + changes.length;
  if (total === 0) return;
  let id = await reserveEventIds(tx, electionNumber, total);
  if (register.length > 0) {
    const ids: number[] = [];
    for (let i = 0; i < register.length; i++) ids.push(id++);
    await tx.query(
      `insert into register_events (event_id, election_number, ballot_number, issue, status, member_ref, online_voted, online_voted_at, recorded_at)
       select u.id, $1, u.b, u.i, u.s, u.m, u.v, u.t, $2
         from unnest($3::bigint[], $4::int[], $5::int2[], $6::text[], $7::text[], $8::bool[], $9::timestamptz[]) as u(id, b, i, s, m, v, t)`,
      [
        electionNumber,
        at,
        ids,
        register.map((r) => r.ballotNumber),
        register.map((r) => r.issue),
        register.map((r) => r.status),
        register.map((r) => r.memberRef),
        register.map((r) => r.onlineVoted),
        register.map((r) => r.onlineVotedAt ?? null),
      ],
    );
  }
  if (changes.length > 0) {
    const ids: number[] = [];
    const centres: string[] = [];
    const payloads: string[] = [];
    for (const c of changes) {
      const eventId = id++;
      for (const centreId of new Set(c.centreIds)) {
        ids.push(eventId);
        centres.push(centreId);
        payloads.push(JSON.stringify(c.payload));
      }
    }
    await tx.query(
      `insert into change_events (event_id, centre_id, election_number, payload)
       select u.id, u.c, $1, u.p::jsonb from unnest($2::bigint[], $3::text[], $4::text[]) as u(id, c, p)`,
      [electionNumber, ids, centres, payloads],
    );
  }
}
