// The checker: reads the history (what every server said, and when) and the database at the
// end, and lists every violation of the server's guarantees (contracts.md §3–§4):
//   (a) one vote per member: a redeemed code, an accepted envelope, or a flagged envelope whose
//       current decision is `count` — envelopes found through their barcode's pack, so a receipt
//       the server never tied to its member cannot hide — and after a final redeem of every
//       code, a redeem answered 200 only for a member with no vote;
//   (b) the members' rows equal what receipts and current decisions say (counted receipt, code
//       state), and every receipt of a registered pack is tied to its member;
//   (c) every answered receipt is stored, once, as answered; a resend got the same answer;
//       the same receiptId with other content was refused as a conflict;
//   (d) no 5xx but those the faults explain (proxy-made, or while PostgreSQL was down), no
//       server process that died by itself, no answer the contract does not allow;
//   (e) no committed decision lost; decisions ordered as they committed (a decision answered
//       before another was sent comes first); at most one receipt of a barcode counts;
//   (f) judged in real time: an envelope received after another of the same barcode was
//       answered is not accepted and names it in relatedReceiptIds; a pack imported before an
//       envelope was sent is not `unknown_ballot`; decisions by another centre or by the
//       envelope's own operator are refused.
import type { Attempt, History, HistoryOp, ReceiptAnswer, ServerAnswer } from './history';
import { barcodeOf, receiptId, resolutionId, ballotNumber, type Names } from './names';
import type { Plan, PlannedReceipt, RequestOp } from './plan';
import type { DbMember, Snapshot } from './snapshot';
import { encodeBarcode } from '../../shared/barcode/barcode';

export type Check = 'a' | 'b' | 'c' | 'd' | 'e' | 'f';

/** (f) looks at the first this many receipts of each barcode (pairs among them: quadratic) */
const MAX_RECEIPTS_PER_BARCODE = 300;

/** What a violation is about: the history shown for it is the operations touching these. */
export interface Subject {
  member?: number;
  barcodes?: string[];
  receiptIds?: string[];
  flagIds?: string[];
  resolutionIds?: string[];
  ops?: number[];
}

export interface Violation {
  check: Check;
  kind: string;
  message: string;
  subject: Subject;
}

export interface CheckInput {
  plan: Plan;
  ns: Names;
  history: History;
  snapshot: Snapshot;
  /** the final redeem: member → its attempt (run after the snapshot was read) */
  finalRedeem: Map<number, Attempt>;
  /** extra time after PostgreSQL is back during which a 5xx is still the restart's doing */
  graceMs?: number;
}

interface ReceiptSend {
  planned: PlannedReceipt;
  id: string;
  barcode: string;
  centre: number;
}
interface ReceiptHeard {
  variant: 0 | 1;
  answer: ReceiptAnswer;
  /** when the attempt that got this answer was sent, and when the answer came */
  sentAt: number;
  at: number;
  op: number;
}

export function check(input: CheckInput): Violation[] {
  const { plan, ns, history, snapshot: db } = input;
  const out: Violation[] = [];
  const v = (check: Check, kind: string, message: string, subject: Subject): void => void out.push({ check, kind, message, subject });
  const trial = ns.trial;
  const attempts = history.attempts.filter((a) => a.trial === trial);
  const opOf = (a: Attempt): HistoryOp => history.op(trial, a.op)!;

  // ---- what was sent, and what the servers answered --------------------------------------
  const sent = new Map<string, Map<0 | 1, ReceiptSend>>(); // receiptId → content variants
  const firstSent = new Map<string, number>(); // receiptId → first time any attempt left
  const heard = new Map<string, ReceiptHeard[]>();
  const resolutionSent = new Map<string, number>();
  const resolutionHeard = new Map<string, Array<{ json: Record<string, unknown>; at: number }>>();
  const resolutionOp = new Map<string, Extract<RequestOp, { kind: 'resolve' }>>();
  const redeemed200 = new Map<number, number>(); // member → first 200 answer time
  const importedAt = new Map<string, number>(); // barcode → first 200 of an import listing it
  const memberKnownAt = new Map<number, number>(); // member → first 200 of an import listing them
  for (const r of plan.initialRows) {
    importedAt.set(packBarcode(ns, r.ballot, r.issue), -Infinity);
    if (r.withCode) memberKnownAt.set(r.member, -Infinity);
  }
  const pgWindows = downWindows(history, input.graceMs ?? 3000);

  for (const a of attempts) {
    const op = opOf(a);
    if (op.kind === 'receipts') {
      for (const r of op.receipts) {
        const id = receiptId(ns, r.key);
        const variants = sent.get(id) ?? new Map();
        if (!variants.has(r.variant)) variants.set(r.variant, { planned: r, id, barcode: barcodeOf(ns, r.envelope), centre: plan.desks[r.desk]!.centre });
        sent.set(id, variants);
        if (r.variant === 0 && !(a.sentAt >= (firstSent.get(id) ?? Infinity))) firstSent.set(id, a.sentAt);
      }
      for (const ans of a.answers) {
        if (ans.status !== 200 || !ans.results) continue;
        ans.results.forEach((res, i) => {
          const r = op.receipts[i];
          if (!r) return;
          const id = receiptId(ns, r.key);
          const list = heard.get(id) ?? [];
          list.push({ variant: r.variant, answer: res, sentAt: a.sentAt, at: ans.at, op: op.id });
          heard.set(id, list);
        });
        if (ans.results.length !== op.receipts.length)
          v('d', 'wrong_result_count', `op ${op.id}: ${op.receipts.length} receipts sent, ${ans.results.length} results`, { ops: [op.id] });
      }
    } else if (op.kind === 'resolve') {
      const id = resolutionId(ns, op.resolutionKey);
      resolutionOp.set(id, op);
      if (!(a.sentAt >= (resolutionSent.get(id) ?? Infinity))) resolutionSent.set(id, a.sentAt);
      for (const ans of a.answers) {
        if (ans.status !== 200 || !ans.json) continue;
        const list = resolutionHeard.get(id) ?? [];
        list.push({ json: ans.json, at: ans.at });
        resolutionHeard.set(id, list);
      }
    } else if (op.kind === 'redeem' || op.kind === 'final_redeem') {
      if (op.kind === 'redeem')
        for (const ans of a.answers) if (ans.status === 200 && !(ans.at >= (redeemed200.get(op.member) ?? Infinity))) redeemed200.set(op.member, ans.at);
    } else if (op.kind === 'import') {
      for (const ans of a.answers)
        if (ans.status === 200)
          for (const row of op.rows) {
            const b = packBarcode(ns, row.ballot, row.issue);
            if (!(ans.at >= (importedAt.get(b) ?? Infinity))) importedAt.set(b, ans.at);
            // a member's code is known once a row carrying it was imported
            if (row.withCode && !(ans.at >= (memberKnownAt.get(row.member) ?? Infinity))) memberKnownAt.set(row.member, ans.at);
          }
    }
  }

  // ---- (d) statuses ------------------------------------------------------------------------
  for (const a of attempts) {
    const op = opOf(a);
    for (const ans of a.answers) {
      if (ans.status === null) continue;
      if (ans.status >= 500) {
        if (!pgWindows.some(([from, to]) => ans.at >= from && ans.startedAt <= to))
          v('d', 'server_5xx', `op ${op.id} (${op.kind}) try ${a.attempt + 1}: server ${a.server} answered ${ans.status} ${problemOf(ans)} with PostgreSQL up and no fault to explain it`, subjectOfOp(plan, ns, op));
        continue;
      }
      const unexpected = unexpectedStatus(op, ans, memberKnownAt, a);
      if (unexpected) v(unexpected.check, unexpected.kind, `op ${op.id} (${op.kind}) try ${a.attempt + 1}: ${unexpected.message}`, subjectOfOp(plan, ns, op));
    }
  }
  for (const e of history.events)
    if (e.kind === 'server_exited') v('d', 'server_crashed', `server ${e.server} exited by itself at +${(e.at / 1000).toFixed(1)}s: ${e.detail.slice(-600)}`, {});

  // ---- (c) receipts: stored once, as answered; resends answered alike -------------------
  for (const [id, list] of heard) {
    const variants = sent.get(id)!;
    const stored = db.receipts.get(id);
    let storedVariant: 0 | 1 | null = null;
    if (stored) for (const [k, s] of variants) if (s.barcode === stored.barcode && storedVariant === null) storedVariant = k;
    // two variants with one barcode are one content (only the envelope differs between them)
    const sameContent = variants.size > 1 && variants.get(0)?.barcode === variants.get(1)?.barcode;
    if (sameContent) for (const h of list) h.variant = 0;
    const barcodes = [...new Set([...variants.values()].map((s) => s.barcode))];
    const subject: Subject = { receiptIds: [id], barcodes };
    for (const variant of [0, 1] as const) {
      const mine = list.filter((h) => h.variant === variant);
      if (mine.length === 0) continue;
      const first = mine[0]!.answer;
      for (const h of mine.slice(1))
        if (!sameAnswer(first, h.answer)) {
          v('c', 'resend_different_answer', `receipt ${id}: answered ${describeAnswer(first)} and, for the same content, ${describeAnswer(h.answer)} (op ${h.op})`, subject);
          break;
        }
      const taken = mine.find((h) => h.answer.outcome !== 'rejected');
      if (!stored) {
        if (taken) v('c', 'answered_not_stored', `receipt ${id} was answered ${describeAnswer(taken.answer)} (op ${taken.op}) but is not in the database`, subject);
        continue;
      }
      if (variant === storedVariant) {
        for (const h of mine) {
          if (h.answer.outcome !== stored.outcome || (h.answer.flagId ?? null) !== stored.flagId) {
            v('c', 'stored_differs_from_answer', `receipt ${id} was answered ${describeAnswer(h.answer)} (op ${h.op}); the database holds ${stored.outcome}${stored.flagId ? ` flag ${stored.flagId}` : ''}`, subject);
            break;
          }
        }
      } else {
        // once the other content was stored (answered), this content can only be a conflict
        const storedAt = Math.min(...list.filter((h) => h.variant === storedVariant && h.answer.outcome !== 'rejected').map((h) => h.at));
        const wrong = mine.find((h) => h.sentAt > storedAt && !(h.answer.outcome === 'rejected' && h.answer.error === 'conflict'));
        if (wrong)
          v('c', 'conflict_not_refused', `receipt ${id}: another content is stored under this id, yet this content was answered ${describeAnswer(wrong.answer)} (op ${wrong.op}), not rejected as a conflict`, subject);
      }
    }
  }
  const seqs = new Map<string, string>();
  for (const r of db.receipts.values()) {
    if (!sent.has(r.receiptId)) v('c', 'phantom_receipt', `the database holds receipt ${r.receiptId} (${r.barcode}) that no desk sent`, { receiptIds: [r.receiptId], barcodes: [r.barcode] });
    if (r.flagId && !db.flags.has(r.flagId)) v('c', 'flag_missing', `receipt ${r.receiptId} is flagged ${r.flagId} but that flag is not in the database`, { receiptIds: [r.receiptId], barcodes: [r.barcode] });
    const k = `${r.deviceId}:${r.workstationSeq}`;
    const other = seqs.get(k);
    // trial replays reuse the desks' numbering: only the run itself promises one receipt per number
    if (other && trial === 0) v('c', 'stored_twice', `receipts ${other} and ${r.receiptId} share device ${r.deviceId}'s workstationSeq ${r.workstationSeq}`, { receiptIds: [other, r.receiptId], barcodes: [r.barcode] });
    seqs.set(k, r.receiptId);
  }

  // ---- (e) decisions: none lost, answered alike, ordered as committed ---------------------
  for (const [id, list] of resolutionHeard) {
    const op = resolutionOp.get(id)!;
    const row = db.resolutions.get(id);
    const subject = subjectOfOp(plan, ns, op);
    const first = list[0]!.json;
    if (!row) v('e', 'decision_lost', `resolution ${id} (${String(first.decision)} on flag ${String(first.flagId)}) was answered 200 but is not in the database`, { ...subject, resolutionIds: [id] });
    else if (row.decision !== first.decision || row.flagId !== String(first.flagId).toLowerCase())
      v('e', 'decision_differs', `resolution ${id} was answered ${String(first.decision)} on ${String(first.flagId)}; the database holds ${row.decision} on ${row.flagId}`, { ...subject, resolutionIds: [id] });
    for (const h of list.slice(1))
      if (h.json.decision !== first.decision || h.json.recordedAt !== first.recordedAt || (h.json.seq ?? null) !== (first.seq ?? null)) {
        v('e', 'resend_different_answer', `resolution ${id} answered ${JSON.stringify(pick(first))} and then ${JSON.stringify(pick(h.json))}`, { ...subject, resolutionIds: [id] });
        break;
      }
    if (op.asker !== 'ok')
      v('f', op.asker === 'wrong_centre' ? 'other_centre_decided' : 'own_scan_decided', `resolution ${id}: ${op.asker === 'wrong_centre' ? `desk ${op.desk} of another centre` : `supervisor ${op.supervisor}, who scanned the envelope,`} got 200`, { ...subject, resolutionIds: [id] });
  }
  for (const [flagId, decisions] of db.decisionsOfFlag) {
    const answered = decisions
      .filter((d) => resolutionHeard.has(d.resolutionId))
      .map((d, order) => ({ d, order, sentAt: resolutionSent.get(d.resolutionId) ?? -Infinity, at: Math.min(...resolutionHeard.get(d.resolutionId)!.map((h) => h.at)) }));
    outer: for (const x of answered)
      for (const y of answered)
        if (x.at < y.sentAt && x.order > y.order) {
          const flag = db.flags.get(flagId)!;
          v(
            'e',
            'decision_order_not_commit_order',
            `flag ${flagId}: ${x.d.decision} (${x.d.resolutionId}) was answered at +${secs(x.at)} before ${y.d.decision} (${y.d.resolutionId}) was sent at +${secs(y.sentAt)}, yet the server orders it after (${db.hasSeq ? 'seq' : 'recorded_at'} ${orderKey(x.d, db.hasSeq)} > ${orderKey(y.d, db.hasSeq)}): the current decision is ${decisions[decisions.length - 1]!.decision}, not ${y.d.decision}`,
            { flagIds: [flagId], receiptIds: [flag.receiptId], resolutionIds: [x.d.resolutionId, y.d.resolutionId] },
          );
          break outer;
        }
  }

  // ---- (a), (b), (e): votes -------------------------------------------------------------
  const current = (flagId: string | null): string | null => {
    if (!flagId) return null;
    const d = db.decisionsOfFlag.get(flagId);
    return d && d.length > 0 ? d[d.length - 1]!.decision : null;
  };
  const counts = (r: { outcome: string; flagId: string | null }): boolean => r.outcome === 'accepted' || current(r.flagId) === 'count';
  const everCounted = (r: { outcome: string; flagId: string | null }): boolean =>
    r.outcome === 'accepted' || (r.flagId !== null && (db.decisionsOfFlag.get(r.flagId) ?? []).some((d) => d.decision === 'count'));
  const receiptsOfMember = new Map<number, Set<string>>();
  const countedOfBarcode = new Map<string, string[]>();
  const unlinked = new Map<string, string[]>();
  for (const r of db.receipts.values()) {
    const owners = new Set<number>();
    const byPack = db.memberOfBarcode.get(r.barcode);
    if (byPack !== undefined) owners.add(byPack);
    if (r.memberId !== null) owners.add(r.memberId);
    for (const m of owners) {
      const s = receiptsOfMember.get(m) ?? new Set();
      s.add(r.receiptId);
      receiptsOfMember.set(m, s);
    }
    if (byPack !== undefined && r.memberId !== byPack) {
      const list = unlinked.get(r.barcode);
      if (list) list.push(r.receiptId);
      else unlinked.set(r.barcode, [r.receiptId]);
    }
    if (counts(r)) {
      const list = countedOfBarcode.get(r.barcode);
      if (list) list.push(r.receiptId);
      else countedOfBarcode.set(r.barcode, [r.receiptId]);
    }
  }
  for (const [barcode, ids] of unlinked) {
    const m = db.members.get(db.memberOfBarcode.get(barcode)!)!;
    v('b', 'receipt_not_linked', `${ids.length} receipt(s) of pack ${barcode}, which the register gives to member ${m.ref}, are not tied to that member (member_id ${db.receipts.get(ids[0]!)!.memberId}): ${ids.slice(0, 3).join(', ')}`, {
      barcodes: [barcode],
      receiptIds: ids,
    });
  }
  for (const [barcode, ids] of countedOfBarcode)
    if (ids.length > 1)
      v('e', 'barcode_counted_twice', `${ids.length} receipts of barcode ${barcode} count: ${ids.map((id) => describeReceipt(db, id, current)).join('; ')}`, {
        barcodes: [barcode],
        receiptIds: ids,
        flagIds: ids.map((id) => db.receipts.get(id)!.flagId).filter((f): f is string => f !== null),
      });

  const votesBefore = new Map<number, string[]>();
  for (const m of db.members.values()) {
    const index = memberIndex(m);
    const ids = [...(receiptsOfMember.get(m.memberId) ?? [])];
    const counted = ids.filter((id) => counts(db.receipts.get(id)!));
    const online = m.codeState === 'redeemed' || (index !== null && redeemed200.has(index));
    const votes = [...(online ? ['online code redeemed'] : []), ...counted.map((id) => describeReceipt(db, id, current))];
    votesBefore.set(m.memberId, votes);
    const barcodes = [...new Set(ids.map((id) => db.receipts.get(id)!.barcode))];
    const subject: Subject = { ...(index !== null ? { member: index } : {}), barcodes, receiptIds: counted, flagIds: counted.map((id) => db.receipts.get(id)!.flagId).filter((f): f is string => f !== null) };
    if (votes.length > 1) v('a', 'more_than_one_vote', `member ${m.ref} has ${votes.length} votes: ${votes.join('; ')}`, subject);
    // (b) the member's row against what the receipts and decisions say
    if (counted.length <= 1) {
      const want = counted[0] ?? null;
      if (m.countedReceiptId !== want)
        v('b', 'counted_receipt_mismatch', `member ${m.ref}: counted_receipt_id is ${m.countedReceiptId}, the receipts and current decisions say ${want ?? 'none'}${want ? ` (${describeReceipt(db, want, current)})` : ''}`, subject);
    }
    if (counted.length > 0 && m.hasCode && m.codeState === 'active')
      v('b', 'code_still_active', `member ${m.ref} has a counted envelope (${describeReceipt(db, counted[0]!, current)}) but the online code is still active`, subject);
    if (index !== null && redeemed200.has(index) && m.codeState !== 'redeemed')
      v('b', 'redeem_lost', `member ${m.ref}'s code was redeemed (200 at +${secs(redeemed200.get(index)!)}) but code_state is ${m.codeState}`, subject);
    if (m.codeState === 'deactivated' && !ids.some((id) => everCounted(db.receipts.get(id)!)))
      v('b', 'code_deactivated_without_envelope', `member ${m.ref}'s code is deactivated but no envelope of theirs ever counted`, subject);

    // (a) the final redeem: 200 only for a member with no vote
    const fin = index !== null ? input.finalRedeem.get(index) : undefined;
    const ans = fin?.answers.find((x) => x.relayed);
    if (!fin || !ans || ans.status === null) continue;
    const finSubject = { ...subject, ops: [fin.op] };
    if (ans.status === 200 && votes.length > 0)
      v('a', 'final_redeem_second_vote', `member ${m.ref} already had a vote (${votes.join('; ')}) and the final redeem of their code answered 200`, finSubject);
    else if (ans.status === 200 && m.codeState !== 'active')
      v('b', 'final_redeem_ignored_code_state', `member ${m.ref}'s code was ${m.codeState} and the final redeem answered 200`, finSubject);
    else if (ans.status === 409 || ans.status === 404) {
      const error = String(ans.json?.error ?? '');
      const expected = !m.hasCode ? 'unknown_code' : m.codeState === 'redeemed' ? 'already_redeemed' : m.codeState === 'deactivated' ? 'postal_ballot_received' : 'redeemed';
      if (error !== expected) v('b', 'final_redeem_wrong_answer', `member ${m.ref} (code ${m.codeState}, ${votes.length} votes) — the final redeem answered ${ans.status} ${error}, expected ${expected}`, finSubject);
    }
  }

  // ---- (f) judged in real time ------------------------------------------------------------
  const byBarcode = new Map<string, string[]>();
  for (const [id, variants] of sent) {
    const s = variants.get(0);
    if (!s || s.planned.envelope.type !== 'pack') continue;
    const list = byBarcode.get(s.barcode);
    if (list) list.push(id);
    else byBarcode.set(s.barcode, [id]);
  }
  const firstTaken = (id: string): number => {
    const stored = db.receipts.get(id);
    let best = Infinity;
    for (const h of heard.get(id) ?? []) if (h.variant === 0 && h.answer.outcome !== 'rejected' && stored && h.at < best) best = h.at;
    return best;
  };
  for (const [barcode, ids] of byBarcode) {
    const unrelated: string[] = [];
    const accepted: string[] = [];
    // the receipts of the barcode the server took, in the order it first answered them
    const taken = ids
      .map((id) => ({ id, at: firstTaken(id) }))
      .filter((t) => t.at < Infinity)
      .sort((x, y) => x.at - y.at);
    // the first receipts sent (a long run scans a hot envelope hundreds of times: the pairs
    // among the first ones show a missing relation as well as all of them would)
    const checked = ids
      .map((id) => ({ id, sentAt: firstSent.get(id) ?? Infinity }))
      .sort((x, y) => x.sentAt - y.sentAt)
      .slice(0, MAX_RECEIPTS_PER_BARCODE);
    for (const { id: id2, sentAt } of checked) {
      const answers = (heard.get(id2) ?? []).filter((h) => h.variant === 0);
      if (answers.length === 0) continue;
      let n = 0;
      while (n < taken.length && taken[n]!.at < sentAt) n++;
      const prior = taken.slice(0, n).filter((t) => t.id !== id2).map((t) => t.id);
      for (const h of answers) {
        if (h.answer.outcome === 'rejected') continue;
        const imported = importedAt.get(barcode);
        if (h.answer.kind === 'unknown_ballot' && imported !== undefined && imported < sentAt)
          v('f', 'unknown_after_import', `receipt ${id2} of ${barcode} was sent at +${secs(sentAt)}, after the import listing its pack answered (+${secs(imported)}), yet flagged unknown_ballot`, {
            receiptIds: [id2],
            barcodes: [barcode],
          });
        if (prior.length === 0) continue;
        if (h.answer.outcome === 'accepted') accepted.push(`${id2} (after ${prior[0]})`);
        else {
          const named = new Set(h.answer.related ?? []);
          const missing = prior.filter((p) => !named.has(p));
          if (missing.length > 0) unrelated.push(`${id2} names [${[...named].slice(0, 4).join(', ')}${named.size > 4 ? ', …' : ''}], not ${missing.slice(0, 4).join(', ')}`);
        }
        break;
      }
    }
    const subject: Subject = { barcodes: [barcode], receiptIds: ids };
    if (accepted.length > 0) v('f', 'duplicate_accepted', `barcode ${barcode}: accepted although an earlier receipt of it had been answered: ${accepted.slice(0, 3).join('; ')}`, subject);
    if (unrelated.length > 0)
      v('f', 'related_missing', `barcode ${barcode}: ${unrelated.length} receipt(s) do not name the earlier receipts of the same barcode in relatedReceiptIds: ${unrelated.slice(0, 2).join('; ')}`, subject);
  }
  return out;

  function memberIndex(m: DbMember): number | null {
    const r = /^M-(\d+)/.exec(m.ref);
    return r ? Number(r[1]) : null;
  }
}

function packBarcode(ns: Names, ballot: number, issue: number): string {
  return encodeBarcode(ns.electionNumber, ballotNumber(ns, ballot), issue);
}

/** [from, to] of each time PostgreSQL was down, widened by `graceMs` after it came back. */
export function downWindows(history: History, graceMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let downAt: number | null = null;
  for (const e of history.events) {
    if (e.kind === 'pg_down') downAt = e.at;
    if (e.kind === 'pg_up' && downAt !== null) {
      out.push([downAt, e.at + graceMs]);
      downAt = null;
    }
  }
  if (downAt !== null) out.push([downAt, Infinity]);
  return out;
}

function unexpectedStatus(op: HistoryOp, ans: ServerAnswer, memberKnownAt: Map<number, number>, a: Attempt): { check: Check; kind: string; message: string } | null {
  const s = ans.status!;
  const error = String(ans.json?.error ?? '');
  switch (op.kind) {
    case 'receipts':
      return s === 200 ? null : { check: 'd', kind: 'unexpected_status', message: `receipts answered ${s} ${problemOf(ans)}` };
    case 'import':
      return s === 200 ? null : { check: 'd', kind: 'unexpected_status', message: `register import answered ${s} ${problemOf(ans)}` };
    case 'redeem':
    case 'final_redeem': {
      if (s === 200 || (s === 409 && (error === 'postal_ballot_received' || error === 'already_redeemed'))) return null;
      if (s === 404 && error === 'unknown_code') {
        // the code is the member's: once an import that lists the member answered, it is known
        const member = op.member;
        const known = memberKnownAt.get(member) ?? Infinity;
        return known < a.sentAt ? { check: 'f', kind: 'unknown_code_after_import', message: `member ${member}'s code answered 404 unknown_code though an import listing the member answered at +${secs(known)}` } : null;
      }
      return { check: 'd', kind: 'unexpected_status', message: `redeem answered ${s} ${problemOf(ans)}` };
    }
    case 'resolve':
      if (s === 200 || s === 409) {
        if (s === 409 && error === 'conflict') return { check: 'd', kind: 'unexpected_status', message: `resolution answered 409 conflict: ${problemOf(ans)}` };
        return null;
      }
      if (op.asker === 'wrong_centre' && s === 404) return null;
      if (op.asker === 'own_scan' && s === 403) return null;
      return { check: 'd', kind: 'unexpected_status', message: `resolution (${op.asker}) answered ${s} ${problemOf(ans)}` };
  }
}

function problemOf(ans: ServerAnswer): string {
  if (!ans.json) return '';
  const j = ans.json;
  return [j.error, j.detail ?? j.title].filter(Boolean).join(': ');
}

function sameAnswer(x: ReceiptAnswer, y: ReceiptAnswer): boolean {
  return x.outcome === y.outcome && x.flagId === y.flagId && x.kind === y.kind && x.error === y.error && x.onlineCode === y.onlineCode;
}

export function describeAnswer(a: ReceiptAnswer): string {
  const related = a.related ?? [];
  const shown = related.length > 4 ? `${related.slice(0, 4).join(', ')} and ${related.length - 4} more` : related.join(', ');
  if (a.outcome === 'flagged') return `flagged ${a.kind} (flag ${a.flagId}, related [${shown}], code ${a.onlineCode})`;
  if (a.outcome === 'rejected') return `rejected ${a.error}`;
  return `accepted (code ${a.onlineCode})`;
}

function describeReceipt(db: Snapshot, id: string, current: (flagId: string | null) => string | null): string {
  const r = db.receipts.get(id)!;
  if (r.outcome === 'accepted') return `envelope ${r.barcode} accepted at ${r.centreId} (receipt ${id})`;
  const kind = r.flagId ? db.flags.get(r.flagId)?.kind : undefined;
  return `envelope ${r.barcode} flagged ${kind} at ${r.centreId}, current decision ${current(r.flagId)} (receipt ${id}, flag ${r.flagId})`;
}

function pick(j: Record<string, unknown>): Record<string, unknown> {
  return { decision: j.decision, recordedAt: j.recordedAt, seq: j.seq };
}

function orderKey(d: { recordedAt: Date; seq: number | null }, hasSeq: boolean): string {
  return hasSeq ? String(d.seq) : d.recordedAt.toISOString();
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

export function subjectOfOp(plan: Plan, ns: Names, op: HistoryOp): Subject {
  switch (op.kind) {
    case 'receipts': {
      const barcodes = [...new Set(op.receipts.map((r) => barcodeOf(ns, r.envelope)))];
      return { ops: [op.id], barcodes: barcodes.slice(0, 3), receiptIds: op.receipts.slice(0, 3).map((r) => receiptId(ns, r.key)) };
    }
    case 'resolve':
      return { ops: [op.id], resolutionIds: [resolutionId(ns, op.resolutionKey)], receiptIds: [receiptId(ns, op.receiptKey)] };
    case 'redeem':
    case 'final_redeem':
      return { ops: [op.id], member: op.member };
    case 'import':
      return { ops: [op.id] };
  }
}
