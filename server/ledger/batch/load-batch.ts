// Step 1 of a batch (receive-receipts.ts): what the judge needs, read under the batch's locks.
// The ballot packs named in the batch, their members locked FOR UPDATE in member-id order (the
// order every transaction uses, so concurrent batches and redemptions cannot deadlock); for
// envelopes not on the register, the register gate and one lock per barcode instead (locks.ts);
// then every receipt already received that the verdicts depend on.
import type { BarcodeRejection, Envelope } from '../../../shared/barcode/barcode';
import type { Result } from '../../../shared/result';
import type { ReceiptIn, ReceiptResult } from '../../../shared/protocol/central-api';
import type { Queryable } from '../../db/db';
import { lockEnvelopes, shareRegisterGate, StartAgain, tryShareRegisterGate } from '../locks';
import { pushPrior, type BallotRow, type BatchFacts, type MemberRow, type PriorReceipt, type Workstation } from './rows';

/** An import is tying unregistered envelopes to their members: start again, gate first. */
export class GateBusy extends StartAgain {}

/**
 * The close this batch is judged by, read inside its transaction (never remembered, never read
 * before the batch queued at the admission gate). The share lock orders the batch against a
 * PATCH of the close, which takes this row FOR UPDATE: a batch that read the old close commits
 * before the PATCH can, and a batch that comes after waits for the PATCH and reads the new
 * close. So once the PATCH has answered, no batch is judged by the old close. Shared locks do
 * not wait for each other, so batches still run side by side, and the PATCH waits for nothing
 * else while holding the row, so no lock order can deadlock with it.
 */
const CLOSE_UNDER_SHARE_LOCK = `close as (select closes_at from elections where election_number = $1 for share)`;

/**
 * Locks and reads the batch's facts. `gateFirst`: an earlier attempt found an import holding the
 * register gate, so this one takes the gate before any member lock (the lock order of locks.ts).
 */
export async function loadBatchFacts(
  tx: Queryable,
  ws: Workstation,
  receipts: readonly ReceiptIn[],
  envelopes: ReadonlyArray<Result<Envelope, BarcodeRejection>>,
  gateFirst: boolean,
): Promise<BatchFacts> {
  const wanted = new Map<string, { ballotNumber: number; issue: number }>();
  for (const e of envelopes) if (e.ok) wanted.set(e.value.barcode, e.value);
  if (gateFirst) await shareRegisterGate(tx, ws.electionNumber);
  const { closesAt, ballots, members } = await lockBallotsAndMembers(tx, ws.electionNumber, [...wanted.values()]);
  // Envelopes whose pack is not on the register: the register gate keeps an import from
  // tying them to members while this batch stores more of them, and one lock per barcode
  // makes two batches with the same unknown envelope see each other.
  const unknown = [...wanted.entries()].filter(([, w]) => !ballots.has(`${w.ballotNumber}:${w.issue}`)).map(([barcode]) => barcode);
  if (unknown.length > 0) {
    if (!gateFirst && !(await tryShareRegisterGate(tx, ws.electionNumber))) throw new GateBusy('an import holds the register gate');
    if (!gateFirst) {
      // Taken after the member locks: an import may have committed the packs in between, and
      // then these envelopes are known after all. Start again to judge them as known.
      const recheck = await lockBallotsAndMembers(tx, ws.electionNumber, unknown.map((b) => wanted.get(b)!));
      if (recheck.ballots.size > 0) throw new StartAgain('packs were added to the register meanwhile');
    }
    await lockEnvelopes(tx, ws.electionNumber, unknown);
  }

  // Receipts already stored: resends of ours, earlier envelopes of the same members, and
  // earlier envelopes of the same unregistered barcodes.
  const ids = receipts.map((r) => r.receiptId.toLowerCase());
  const { rows: known } = await tx.query<PriorReceipt & { content_hash: string; result: ReceiptResult }>(
    `select r.receipt_id::text, r.barcode, r.member_id, r.centre_id, r.content_hash, r.result, d.name as device_name, r.received_at
       from receipts r left join devices d on d.device_id = r.device_id
      where r.receipt_id = any($1::uuid[]) or r.member_id = any($2::bigint[])
         or (r.election_number = $3 and r.member_id is null and r.barcode = any($4::text[]))
     union all
     select x.receipt_id::text, null, null, x.centre_id, x.content_hash, x.result, null, x.received_at
       from rejected_receipts x where x.receipt_id = any($1::uuid[])
      order by received_at, receipt_id`,
    [ids, [...members.keys()], ws.electionNumber, unknown],
  );
  const idSet = new Set(ids);
  const facts: BatchFacts = { closesAt, ballots, members, stored: new Map(), priorByMember: new Map(), priorByUnknownBarcode: new Map() };
  for (const p of known) {
    if (idSet.has(p.receipt_id)) facts.stored.set(p.receipt_id, p);
    // A resend is not its own prior; it is answered from `stored`.
    else if (p.member_id !== null) pushPrior(facts.priorByMember, p.member_id, p);
    else pushPrior(facts.priorByUnknownBarcode, p.barcode, p);
  }
  return facts;
}

/** The ballot packs of `wanted` with their members, locked FOR UPDATE in member-id order, and the close. */
async function lockBallotsAndMembers(
  tx: Queryable,
  electionNumber: number,
  wanted: ReadonlyArray<{ ballotNumber: number; issue: number }>,
): Promise<{ closesAt: Date | null; ballots: Map<string, BallotRow>; members: Map<number, MemberRow> }> {
  const ballots = new Map<string, BallotRow>();
  const members = new Map<number, MemberRow>();
  let closesAt: Date | null = null;
  if (wanted.length === 0) return { closesAt, ballots, members };
  const { rows } = await tx.query<BallotRow & MemberRow & { closes_at: Date }>(
    `with ${CLOSE_UNDER_SHARE_LOCK}
     select (select closes_at from close) as closes_at, b.ballot_number, b.issue, b.status, m.member_id, m.member_ref, m.code_state, m.code_hash is not null as has_code,
            m.counted_receipt_id::text, m.redeemed_at,
            (select max(o.issue) from ballots o where o.member_id = m.member_id and o.status = 'issued') as max_issued
       from unnest($2::int[], $3::int2[]) as w(b, i)
       join ballots b on b.election_number = $1 and b.ballot_number = w.b and b.issue = w.i
       join members m on m.member_id = b.member_id
      order by m.member_id
        for update of m`,
    [electionNumber, wanted.map((w) => w.ballotNumber), wanted.map((w) => w.issue)],
  );
  for (const r of rows) {
    closesAt = r.closes_at;
    ballots.set(`${r.ballot_number}:${r.issue}`, r);
    if (!members.has(r.member_id)) members.set(r.member_id, r);
  }
  return { closesAt, ballots, members };
}
