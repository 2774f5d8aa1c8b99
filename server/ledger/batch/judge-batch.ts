// Step 2 of a batch (receive-receipts.ts): the verdicts, from the facts load-batch.ts read. No
// database here: each receipt, in batch order, is a resend (answered as first answered), a bad
// barcode (rejected), or an envelope put to the one judge of contracts.md §4 (shared/judge) —
// and then it is prior to the receipts after it. The words of each flag are written here too.
import { createHash, randomUUID } from 'node:crypto';
import type { BarcodeRejection, Envelope } from '../../../shared/barcode/barcode';
import type { FlagKind, RegisterStatus } from '../../../shared/domain';
import { bindingFlagKind, judgeEnvelope, type EnvelopeFacts } from '../../../shared/judge/judge';
import type { FlagOut, ReceiptIn, ReceiptResult } from '../../../shared/protocol/central-api';
import type { Result } from '../../../shared/result';
import type { PendingChange } from '../events';
import { pushPrior, type BallotRow, type BatchFacts, type BatchVerdict, type Judged, type MemberRow, type PriorReceipt, type Workstation } from './rows';

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

/**
 * Judges the batch in order. The facts are updated as it goes (each judged receipt becomes prior
 * to the ones after it; an accepted one deactivates its member's code), so they are this
 * attempt's own: a retried transaction loads them afresh.
 */
export function judgeBatch(
  ws: Workstation,
  receipts: readonly ReceiptIn[],
  envelopes: ReadonlyArray<Result<Envelope, BarcodeRejection>>,
  facts: BatchFacts,
  receivedAt: string,
): BatchVerdict {
  const { ballots, members, stored, priorByMember, priorByUnknownBarcode } = facts;
  const judged: Judged[] = new Array(receipts.length);
  const firstIndexOf = new Map<string, number>();
  const codeChanges: BatchVerdict['codeChanges'] = new Map();
  const changes: PendingChange[] = [];
  const closes = facts.closesAt?.getTime() ?? null;
  receipts.forEach((input, i) => {
    const id = input.receiptId.toLowerCase();
    const hash = contentHash(ws.centreId, input);
    const earlier = firstIndexOf.get(id);
    if (earlier !== undefined) {
      // The same receipt twice in one request: the second is a resend of the first.
      const first = judged[earlier]!;
      judged[i] = { input, result: contentHash(ws.centreId, first.input) === hash ? first.result : conflict(input, receivedAt) };
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
    const flag = kind ? flagFor(kind, ownKind === null, { sameEnvelope, otherPacks, ballot, member, closesAt: facts.closesAt, centreId: ws.centreId }) : null;

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
        payload: { type: 'flag_raised', flag: { ...flagOut, receiptId: id, centreId: ws.centreId, barcode, raisedAt: receivedAt } },
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
    if (member) pushPrior(priorByMember, member.member_id, self);
    else pushPrior(priorByUnknownBarcode, barcode, self);
  });
  return { judged, codeChanges, changes };
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
