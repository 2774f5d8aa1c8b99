// POST /v1/receipts: the server's authoritative verdict on a batch of envelopes from one
// workstation (contracts.md §3–§4). One transaction per batch, few round trips:
//   1. look up the batch's ballot packs (and the election's close, see CLOSE_UNDER_SHARE_LOCK)
//      and lock their members' rows in member-id order (so concurrent batches and redemptions
//      cannot deadlock); envelopes not on the register take the register gate and a lock per
//      barcode instead (locks.ts), 2. read what is already known about those members and
//      barcodes, 3. put the facts to the one judge (shared/judge) in batch order, 4. write
//      receipts, flags, online-code changes and change events with array parameters.
// Because every receipt of a known ballot locks its member first, and every receipt of an
// unknown one locks its barcode, the one-vote rule and "duplicate anywhere" hold across any
// number of server processes on one PostgreSQL.
import { createHash, randomUUID } from 'node:crypto';
import { parseBarcode } from '../../shared/barcode/barcode';
import type { FlagKind, RegisterStatus } from '../../shared/domain';
import { bindingFlagKind, judgeEnvelope, type EnvelopeFacts } from '../../shared/judge/judge';
import type { FlagOut, ReceiptIn, ReceiptResult } from '../../shared/protocol/central-api';
import { retryingTransaction, type Db, type Queryable } from '../db/db';
import { appendEvents, type PendingChange } from './events';
import { lockEnvelopes, shareRegisterGate, StartAgain, tryShareRegisterGate } from './locks';

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
  /** set for receipts rejected by this call (kept for their workstationSeq and resends) */
  rejectedHash?: string;
}

interface BallotRow {
  ballot_number: number;
  issue: number;
  status: RegisterStatus;
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
  // Set when an import held the register gate: the next attempt takes the gate before any
  // member lock (the lock order of locks.ts), rather than trying it after them.
  let gateFirst = false;
  return retryingTransaction(db, (tx) =>
    judgeBatch(tx, ws, receipts, now().toISOString(), gateFirst).catch((e: unknown) => {
      if (e instanceof GateBusy) gateFirst = true;
      throw e;
    }),
  );
}

/** An import is tying unregistered envelopes to their members: start again, gate first. */
class GateBusy extends StartAgain {}

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

async function judgeBatch(tx: Queryable, ws: Workstation, receipts: ReceiptIn[], receivedAt: string, gateFirst: boolean): Promise<ReceiptResult[]> {
  const judged: Array<Judged | undefined> = new Array(receipts.length);
  const envelopes = receipts.map((r) => parseBarcode(r.barcode, ws.electionNumber));

  // 1–2. the ballot packs named in this batch, their members locked in member-id order (the
  // same order every transaction uses, so concurrent batches and redemptions cannot deadlock)
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
  const memberIds = [...members.keys()];

  // 3. receipts already stored: resends of ours, earlier envelopes of the same members, and
  // earlier envelopes of the same unregistered barcodes
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
    [ids, memberIds, ws.electionNumber, unknown],
  );
  const idSet = new Set(ids);
  const stored = new Map<string, { content_hash: string; result: ReceiptResult }>();
  const priorByMember = new Map<number, PriorReceipt[]>();
  const priorByUnknownBarcode = new Map<string, PriorReceipt[]>();
  const push = <K>(map: Map<K, PriorReceipt[]>, key: K, p: PriorReceipt): void => {
    const list = map.get(key) ?? [];
    list.push(p);
    map.set(key, list);
  };
  for (const p of known) {
    if (idSet.has(p.receipt_id)) stored.set(p.receipt_id, p);
    // A resend is not its own prior; it is answered from `stored`.
    else if (p.member_id !== null) push(priorByMember, p.member_id, p);
    else push(priorByUnknownBarcode, p.barcode, p);
  }

  // 4. judge in batch order; each judged receipt is prior to the ones after it
  const firstIndexOf = new Map<string, number>();
  const codeChanges = new Map<number, { state: string; counted: string | null }>();
  const changes: PendingChange[] = [];
  const closes = closesAt?.getTime() ?? null;
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
      const result: ReceiptResult = { receiptId: input.receiptId, outcome: 'rejected', onlineCode: 'none', receivedAt, error: envelope.error };
      judged[i] = { input, result, rejectedHash: hash };
      return;
    }
    const barcode = envelope.value.barcode;
    const ballot = ballots.get(`${envelope.value.ballotNumber}:${envelope.value.issue}`);
    const member = ballot ? members.get(ballot.member_id) : undefined;
    const prior = member ? (priorByMember.get(member.member_id) ?? []) : (priorByUnknownBarcode.get(barcode) ?? []);
    const sameEnvelope = prior.filter((p) => p.barcode === barcode);
    const otherPacks = prior.filter((p) => p.barcode !== barcode);
    const ownKind = judgeEnvelope(serverFacts({ ballot, member, sameEnvelope: sameEnvelope.length, otherPacks: otherPacks.length, issue: envelope.value.issue, scannedAt: input.scannedAt, closesAt: closes }));
    const kind = bindingFlagKind(ownKind, input.deskFlag?.kind);
    const flag = kind ? flagFor(kind, ownKind === null, { sameEnvelope, otherPacks, ballot, member, closesAt, centreId: ws.centreId }) : null;

    let result: ReceiptResult;
    let flagOut: FlagOut | undefined;
    if (flag) {
      flagOut = { flagId: randomUUID(), kind: flag.kind, relatedReceiptIds: flag.related.map((p) => p.receipt_id), detail: flag.detail };
      result = {
        receiptId: input.receiptId,
        outcome: 'flagged',
        flag: flagOut,
        onlineCode: flag.kind === 'online_vote_cast' && member?.code_state === 'redeemed' ? 'already_redeemed' : 'none',
        receivedAt,
      };
      changes.push({
        centreIds: [ws.centreId, ...flag.related.map((p) => p.centre_id)],
        payload: {
          type: 'flag_raised',
          flag: { ...flagOut, receiptId: id, centreId: ws.centreId, barcode, raisedAt: receivedAt },
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
    judged[i] = { input, result, store: { memberId: member?.member_id ?? null, barcode, contentHash: hash, ...(flagOut ? { flag: flagOut } : {}) } };
    const self: PriorReceipt = { receipt_id: id, barcode, member_id: member?.member_id ?? null, centre_id: ws.centreId, device_name: null, received_at: null };
    if (member) push(priorByMember, member.member_id, self);
    else push(priorByUnknownBarcode, barcode, self);
  });

  await writeJudged(tx, ws, judged, codeChanges, receivedAt);
  await appendEvents(tx, ws.electionNumber, [], changes, receivedAt);
  return judged.map((j) => j!.result);
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

/** The judge's facts from the rows the server read under its locks (the server's loader). */
export function serverFacts(f: {
  ballot: { status: RegisterStatus; issue: number } | undefined;
  member: { code_state: string; max_issued: number | null } | undefined;
  sameEnvelope: number;
  otherPacks: number;
  issue: number;
  scannedAt: string;
  closesAt: number | null;
}): EnvelopeFacts {
  const known = f.ballot !== undefined && f.member !== undefined;
  return {
    // The server always has the register: a pack it does not know is not on it.
    register: {
      pack: known ? { issue: f.ballot!.issue, status: f.ballot!.status } : null,
      // Only the highest issued pack matters to the rule ("a higher issued pack exists").
      memberPacks: known && f.member!.max_issued !== null ? [{ issue: f.member!.max_issued, status: 'issued' }] : [],
      onlineVoted: known && f.member!.code_state === 'redeemed',
    },
    issue: f.issue,
    sameBarcodeReceipts: f.sameEnvelope,
    sameMemberOtherReceipts: f.otherPacks,
    scannedAt: Date.parse(f.scannedAt),
    closesAt: f.closesAt,
  };
}

/** The flag's related receipts and the words a supervisor reads, for the kind the judge chose. */
function flagFor(
  kind: FlagKind,
  fromDesk: boolean,
  c: { sameEnvelope: PriorReceipt[]; otherPacks: PriorReceipt[]; ballot: BallotRow | undefined; member: MemberRow | undefined; closesAt: Date | null; centreId: string },
): { kind: FlagKind; related: PriorReceipt[]; detail: string } {
  if (fromDesk)
    return {
      kind,
      related: [],
      detail: 'the workstation flagged this envelope and the operator was told to set it aside; the central server found no reason of its own (a supervisor decides)',
    };
  switch (kind) {
    case 'unknown_ballot':
      // Every receipt of one barcode is related to the others, on the register or not.
      return {
        kind,
        related: c.sameEnvelope,
        detail: c.sameEnvelope.length > 0
          ? `this ballot pack is not in the register; this envelope was already received (${describe(c.sameEnvelope, c.centreId)})`
          : 'this ballot pack is not in the register',
      };
    case 'duplicate_scan':
      return { kind, related: c.sameEnvelope, detail: `this envelope was already received (${describe(c.sameEnvelope, c.centreId)})` };
    case 'superseded_ballot':
      return { kind, related: [], detail: c.ballot?.status === 'cancelled' ? 'this pack was cancelled' : 'this pack was replaced by a later issue' };
    case 'member_already_returned':
      return { kind, related: c.otherPacks, detail: `another pack of this member was already received (${describe(c.otherPacks, c.centreId)})` };
    case 'online_vote_cast':
      return { kind, related: [], detail: onlineVoteDetail(c.member?.redeemed_at ?? null) };
    case 'late_return':
      return { kind, related: [], detail: c.closesAt ? `scanned after the election closed at ${c.closesAt.toISOString()}` : 'scanned after the election closed' };
  }
}

/** Step 5: receipts, rejected receipts and the members' code states, then flags. */
async function writeJudged(
  tx: Queryable,
  ws: Workstation,
  judged: Array<Judged | undefined>,
  codeChanges: Map<number, { state: string; counted: string | null }>,
  receivedAt: string,
): Promise<void> {
  const rejected = judged.filter((j): j is Judged & { rejectedHash: string } => j?.rejectedHash !== undefined);
  if (rejected.length > 0) {
    // Received, though it changes nothing: its workstationSeq is no gap, and a resend is
    // answered from here.
    await tx.query(
      `insert into rejected_receipts (receipt_id, election_number, centre_id, device_id, workstation_seq, content_hash, result, received_at)
       select u.id, $1, $2, $3, u.seq, u.hash, u.result, $4
         from jsonb_to_recordset($5::jsonb) as u(id uuid, seq bigint, hash text, result jsonb)
       on conflict (receipt_id) do nothing`,
      [ws.electionNumber, ws.centreId, ws.deviceId, receivedAt, JSON.stringify(rejected.map((j) => ({ id: j.input.receiptId.toLowerCase(), seq: j.input.workstationSeq, hash: j.rejectedHash, result: j.result })))],
    );
  }
  const toStore = judged.filter((j): j is Judged & { store: NonNullable<Judged['store']> } => j?.store !== undefined);
  if (toStore.length === 0) return;
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
      desk_flag: j.input.deskFlag?.kind ?? null,
      confirmed_by: j.input.confirmedBy ?? null,
    })),
  );
  const codesJson = JSON.stringify([...codeChanges.entries()].map(([id, c]) => ({ id, state: c.state, counted: c.counted })));
  const { rows } = await tx.query<{ inserted: number }>(
    `with stored as (
       insert into receipts (receipt_id, election_number, centre_id, device_id, barcode, member_id, scanned_at, received_at,
                             workstation_seq, operator_id, batch_id, source, outcome, flag_id, content_hash, result, desk_flag, confirmed_by)
       select u.id, $1, $2, $3, u.barcode, u.member_id, u.scanned_at, $4, u.seq, u.operator_id, u.batch_id, u.source,
              u.outcome, u.flag_id, u.hash, u.result, u.desk_flag, u.confirmed_by
         from jsonb_to_recordset($5::jsonb) as u(id uuid, barcode text, member_id bigint, scanned_at timestamptz, seq bigint,
              operator_id text, batch_id text, source text, outcome text, flag_id uuid, hash text, result jsonb, desk_flag text, confirmed_by text)
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
  if (flagged.length === 0) return;
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
