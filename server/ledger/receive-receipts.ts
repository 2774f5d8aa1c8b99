// POST /v1/receipts: the server's authoritative verdict on a batch of envelopes from one
// workstation (contracts.md §3–§4). One transaction per batch, few round trips:
//   1. look up the batch's ballot packs (and the election's close, see CLOSE_UNDER_SHARE_LOCK), 2. lock their members' rows in member-id order (so
//   concurrent batches and redemptions cannot deadlock), 3. read what is already known about
//   those members, 4. judge each receipt in memory in batch order, 5. write receipts, flags,
//   online-code changes and change events with array parameters.
// Because every receipt of a known ballot locks its member first, the one-vote rule and
// "duplicate anywhere" hold across any number of server processes on one PostgreSQL.
import { createHash, randomUUID } from 'node:crypto';
import { parseBarcode } from '../../shared/barcode/barcode';
import type { FlagKind } from '../../shared/domain';
import type { FlagOut, ReceiptIn, ReceiptResult } from '../../shared/protocol/central-api';
import { retryingTransaction, type Db, type Queryable } from '../db/db';
import { appendEvents, type PendingChange } from './events';

export interface Workstation {
  deviceId: string;
  centreId: string;
  electionNumber: number;
}

interface Judged {
  input: ReceiptIn;
  result: ReceiptResult;
  /** set for receipts stored by this call (not replays, not rejections) */
  store?: { memberId: number | null; barcode: string; contentHash: string; flag?: FlagOut };
}

interface BallotRow {
  ballot_number: number;
  issue: number;
  status: string;
  member_id: number;
}
interface MemberRow {
  member_id: number;
  member_ref: string;
  code_state: 'active' | 'deactivated' | 'redeemed';
  has_code: boolean;
  counted_receipt_id: string | null;
  redeemed_at: Date | null;
  max_issued: number | null;
}
interface PriorReceipt {
  receipt_id: string;
  barcode: string;
  member_id: number | null;
  centre_id: string;
  /** where and when it arrived, for the words of the flag (null: in this same request) */
  device_name: string | null;
  received_at: Date | null;
}

/**
 * What a receipt says, so that a resend can be told from a different receipt under the same id.
 * Scoped to the centre, not the device: a workstation enrolled again (its old token revoked)
 * re-sends receipts whose answers it never got, and they are the same receipts.
 */
function contentHash(centreId: string, r: ReceiptIn): string {
  return createHash('sha256')
    .update(JSON.stringify([centreId, r.barcode, Date.parse(r.scannedAt), r.workstationSeq, r.operatorId, r.batchId, r.source]))
    .digest('base64url');
}

class LostRace extends Error {
  // A unique key taken by a concurrent transaction: retrying sees the winner's row.
  readonly code = '23505';
}

export async function receiveReceipts(db: Db, ws: Workstation, receipts: ReceiptIn[], now: () => Date): Promise<ReceiptResult[]> {
  return retryingTransaction(db, (tx) => judgeBatch(tx, ws, receipts, now().toISOString()));
}

/**
 * The close this batch is judged by, read inside its transaction (never remembered, never read
 * before the batch queued at the admission gate). The share lock orders the batch against a
 * PATCH of the close, which takes this row FOR UPDATE: a batch that read the old close commits
 * before the PATCH can, and a batch that comes after waits for the PATCH and reads the new
 * close. So once the PATCH has answered, no batch is judged by the old close. Shared locks do
 * not wait for each other, so batches still run side by side, and the PATCH waits for nothing
 * else while holding the row, so no lock order can deadlock with it.
 * Part of the ballot lookup rather than a statement of its own: a statement more inside the
 * transaction cost PGlite (one batch at a time) a visible share of its receipts per second.
 * Only a receipt of a known ballot can be late, so a batch without one needs no close.
 */
const CLOSE_UNDER_SHARE_LOCK = `close as (select closes_at from elections where election_number = $1 for share)`;

async function judgeBatch(tx: Queryable, ws: Workstation, receipts: ReceiptIn[], receivedAt: string): Promise<ReceiptResult[]> {
  let closesAt: Date | null = null;
  const judged: Array<Judged | undefined> = new Array(receipts.length);
  const envelopes = receipts.map((r) => parseBarcode(r.barcode, ws.electionNumber));

  // 1–2. the ballot packs named in this batch, their members locked in member-id order (the
  // same order every transaction uses, so concurrent batches and redemptions cannot deadlock)
  const wanted = new Map<string, { ballotNumber: number; issue: number }>();
  for (const e of envelopes) if (e.ok) wanted.set(e.value.barcode, e.value);
  const ballots = new Map<string, BallotRow>();
  const members = new Map<number, MemberRow>();
  if (wanted.size > 0) {
    const list = [...wanted.values()];
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
      [ws.electionNumber, list.map((w) => w.ballotNumber), list.map((w) => w.issue)],
    );
    for (const r of rows) {
      closesAt = r.closes_at;
      ballots.set(`${r.ballot_number}:${r.issue}`, r);
      if (!members.has(r.member_id)) members.set(r.member_id, r);
    }
  }
  const memberIds = [...members.keys()];

  // 3. receipts already stored: resends of ours, and earlier envelopes of the same members
  const ids = receipts.map((r) => r.receiptId.toLowerCase());
  const { rows: known } = await tx.query<PriorReceipt & { content_hash: string; result: ReceiptResult }>(
    `select r.receipt_id::text, r.barcode, r.member_id, r.centre_id, r.content_hash, r.result, d.name as device_name, r.received_at
       from receipts r left join devices d on d.device_id = r.device_id
      where r.receipt_id = any($1::uuid[]) or r.member_id = any($2::bigint[])
      order by r.received_at, r.receipt_id`,
    [ids, memberIds],
  );
  const idSet = new Set(ids);
  const stored = new Map<string, { content_hash: string; result: ReceiptResult }>();
  const priorByMember = new Map<number, PriorReceipt[]>();
  for (const p of known) {
    if (idSet.has(p.receipt_id)) stored.set(p.receipt_id, p);
    // A resend is not its own prior; it is answered from `stored`.
    else if (p.member_id !== null) {
      const list = priorByMember.get(p.member_id) ?? [];
      list.push(p);
      priorByMember.set(p.member_id, list);
    }
  }

  // 4. judge in batch order; each judged receipt is prior to the ones after it
  const firstIndexOf = new Map<string, number>();
  const codeChanges = new Map<number, { state: string; counted: string | null }>();
  const changes: PendingChange[] = [];
  const closes = closesAt?.getTime() ?? Infinity;
  receipts.forEach((input, i) => {
    const id = ids[i]!;
    const hash = contentHash(ws.centreId, input);
    const earlier = firstIndexOf.get(id);
    if (earlier !== undefined) {
      // The same receipt twice in one request: the second is a resend of the first.
      const first = judged[earlier]!;
      judged[i] = {
        input,
        result: contentHash(ws.centreId, first.input) === hash ? first.result : conflict(input, receivedAt),
      };
      return;
    }
    firstIndexOf.set(id, i);
    const old = stored.get(id);
    if (old) {
      judged[i] = { input, result: old.content_hash === hash ? old.result : conflict(input, receivedAt) };
      return;
    }
    const envelope = envelopes[i]!;
    if (!envelope.ok) {
      judged[i] = { input, result: { receiptId: input.receiptId, outcome: 'rejected', onlineCode: 'none', receivedAt, error: envelope.error } };
      return;
    }
    const ballot = ballots.get(`${envelope.value.ballotNumber}:${envelope.value.issue}`);
    const member = ballot ? members.get(ballot.member_id) : undefined;
    const prior = member ? (priorByMember.get(member.member_id) ?? []) : [];
    const sameEnvelope = prior.filter((p) => p.barcode === envelope.value.barcode);
    const otherPacks = prior.filter((p) => p.barcode !== envelope.value.barcode);
    let flag: { kind: FlagKind; related: PriorReceipt[]; detail: string } | null = null;
    if (!ballot || !member) {
      flag = { kind: 'unknown_ballot', related: [], detail: 'this ballot pack is not in the register' };
    } else if (sameEnvelope.length > 0) {
      flag = { kind: 'duplicate_scan', related: sameEnvelope, detail: `this envelope was already received (${describe(sameEnvelope, ws.centreId)})` };
    } else if (ballot.status !== 'issued' || (member.max_issued !== null && member.max_issued > ballot.issue)) {
      flag = {
        kind: 'superseded_ballot',
        related: [],
        detail: ballot.status === 'cancelled' ? 'this pack was cancelled' : 'this pack was replaced by a later issue',
      };
    } else if (otherPacks.length > 0) {
      flag = { kind: 'member_already_returned', related: otherPacks, detail: `another pack of this member was already received (${describe(otherPacks, ws.centreId)})` };
    } else if (member.code_state === 'redeemed') {
      flag = { kind: 'online_vote_cast', related: [], detail: onlineVoteDetail(member.redeemed_at) };
    } else if (Date.parse(input.scannedAt) > closes) {
      flag = { kind: 'late_return', related: [], detail: `scanned after the election closed at ${closesAt!.toISOString()}` };
    }

    let result: ReceiptResult;
    let flagOut: FlagOut | undefined;
    if (flag) {
      flagOut = { flagId: randomUUID(), kind: flag.kind, relatedReceiptIds: flag.related.map((p) => p.receipt_id), detail: flag.detail };
      result = {
        receiptId: input.receiptId,
        outcome: 'flagged',
        flag: flagOut,
        onlineCode: flag.kind === 'online_vote_cast' ? 'already_redeemed' : 'none',
        receivedAt,
      };
      changes.push({
        centreIds: [ws.centreId, ...flag.related.map((p) => p.centre_id)],
        payload: {
          type: 'flag_raised',
          flag: { ...flagOut, receiptId: id, centreId: ws.centreId, barcode: envelope.value.barcode, raisedAt: receivedAt },
        },
      });
    } else {
      // Accepted: this envelope is the member's vote; the online code goes in the same transaction.
      const m = member!;
      const effect = !m.has_code ? 'none' : m.code_state === 'active' ? 'deactivated' : 'already_deactivated';
      if (m.has_code) m.code_state = 'deactivated';
      m.counted_receipt_id = id;
      codeChanges.set(m.member_id, { state: m.code_state, counted: id });
      result = { receiptId: input.receiptId, outcome: 'accepted', onlineCode: effect, receivedAt };
    }
    judged[i] = { input, result, store: { memberId: member?.member_id ?? null, barcode: envelope.value.barcode, contentHash: hash, ...(flagOut ? { flag: flagOut } : {}) } };
    if (member) {
      const list = priorByMember.get(member.member_id) ?? [];
      list.push({ receipt_id: id, barcode: envelope.value.barcode, member_id: member.member_id, centre_id: ws.centreId, device_name: null, received_at: null });
      priorByMember.set(member.member_id, list);
    }
  });

  // 5. write: receipts and the members' code states in one statement, then flags and events
  const toStore = judged.filter((j): j is Judged & { store: NonNullable<Judged['store']> } => j?.store !== undefined);
  if (toStore.length > 0) {
    // One JSON parameter instead of many arrays: Node serialises it natively (array
    // parameters are escaped element by element), PostgreSQL parses it in C.
    const rowsJson = JSON.stringify(
      toStore.map((j) => ({
        id: j.input.receiptId.toLowerCase(),
        barcode: j.store.barcode,
        member_id: j.store.memberId,
        scanned_at: j.input.scannedAt,
        seq: j.input.workstationSeq,
        operator_id: j.input.operatorId,
        batch_id: j.input.batchId,
        source: j.input.source,
        outcome: j.result.outcome,
        flag_id: j.store.flag?.flagId ?? null,
        hash: j.store.contentHash,
        result: j.result,
      })),
    );
    const codesJson = JSON.stringify([...codeChanges.entries()].map(([id, c]) => ({ id, state: c.state, counted: c.counted })));
    const { rows } = await tx.query<{ inserted: number }>(
      `with stored as (
         insert into receipts (receipt_id, election_number, centre_id, device_id, barcode, member_id, scanned_at, received_at,
                               workstation_seq, operator_id, batch_id, source, outcome, flag_id, content_hash, result)
         select u.id, $1, $2, $3, u.barcode, u.member_id, u.scanned_at, $4, u.seq, u.operator_id, u.batch_id, u.source,
                u.outcome, u.flag_id, u.hash, u.result
           from jsonb_to_recordset($5::jsonb) as u(id uuid, barcode text, member_id bigint, scanned_at timestamptz, seq bigint,
                operator_id text, batch_id text, source text, outcome text, flag_id uuid, hash text, result jsonb)
         on conflict (receipt_id) do nothing
         returning 1),
       counted as (
         update members m set code_state = c.state, counted_receipt_id = c.counted
           from jsonb_to_recordset($6::jsonb) as c(id bigint, state text, counted uuid) where m.member_id = c.id
         returning 1)
       select (select count(*) from stored)::int as inserted, (select count(*) from counted)::int as counted`,
      [ws.electionNumber, ws.centreId, ws.deviceId, receivedAt, rowsJson, codesJson],
    );
    if (rows[0]!.inserted !== toStore.length) throw new LostRace('a receipt id was stored concurrently');
    const flagged = toStore.filter((j) => j.store.flag);
    if (flagged.length > 0) {
      await tx.query(
        `insert into flags (flag_id, receipt_id, election_number, centre_id, member_id, kind, related_receipt_ids, detail, raised_at)
         select u.flag_id, u.receipt_id, $1, $2, u.member_id, u.kind, u.related::jsonb, u.detail, $3
           from unnest($4::uuid[], $5::uuid[], $6::bigint[], $7::text[], $8::text[], $9::text[])
                as u(flag_id, receipt_id, member_id, kind, related, detail)`,
        [
          ws.electionNumber,
          ws.centreId,
          receivedAt,
          flagged.map((j) => j.store.flag!.flagId),
          flagged.map((j) => j.input.receiptId.toLowerCase()),
          flagged.map((j) => j.store.memberId),
          flagged.map((j) => j.store.flag!.kind),
          flagged.map((j) => JSON.stringify(j.store.flag!.relatedReceiptIds)),
          flagged.map((j) => j.store.flag!.detail),
        ],
      );
    }
  }
  await appendEvents(tx, ws.electionNumber, [], changes, receivedAt);
  return judged.map((j) => j!.result);
}

/** Says when, so a supervisor can set the envelope's arrival against the online vote. */
function onlineVoteDetail(redeemedAt: Date | null): string {
  return redeemedAt ? `the member already voted online at ${redeemedAt.toISOString()}` : 'the member already voted online';
}

function conflict(input: ReceiptIn, receivedAt: string): ReceiptResult {
  return { receiptId: input.receiptId, outcome: 'rejected', onlineCode: 'none', receivedAt, error: 'conflict' };
}

/**
 * The earlier receipts in words a supervisor can act on: where, and the first of them — which
 * workstation and when. A workstation's name is this centre's business only (contracts.md §3:
 * the changes feed carries "never another centre's business otherwise"), and these words reach
 * every centre that holds one of the earlier receipts (the flag_raised event goes to them all).
 * So the first is named by its workstation only when every earlier receipt is at the caller's
 * centre; otherwise by its centre and time.
 */
function describe(prior: PriorReceipt[], ownCentre: string): string {
  const elsewhere = [...new Set(prior.filter((p) => p.centre_id !== ownCentre).map((p) => p.centre_id))];
  const where = elsewhere.length > 0 ? `at centre ${elsewhere.join(', ')}` : 'at this centre';
  const first = prior[0]!;
  let firstSeen: string;
  if (!first.received_at) firstSeen = 'in the same batch';
  else {
    const when = `${first.received_at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    firstSeen = elsewhere.length === 0 ? `${first.device_name ?? 'a workstation'}, ${when}` : `centre ${first.centre_id}, ${when}`;
  }
  return `${prior.length} earlier receipt${prior.length > 1 ? 's' : ''}, ${where}; the first: ${firstSeen}`;
}
