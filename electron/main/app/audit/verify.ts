// Checks the audit log end to end, and the records it vouches for:
//  - the chain: seq without gaps, each prev_hash is the previous hash, each hash recomputes;
//  - coverage: every receipt, flag and decision has its audit entry, and still says what
//    that entry says (a receipt changed from outside, with the triggers dropped, shows here).
// Reports the first broken sequence number. Each check reads inside one read transaction (one
// snapshot); verify-runner.ts runs the two checks in two worker threads, each on its own
// read-only connection, so a million entries never block the main thread and use both cores.
import { hash as oneShotHash } from 'node:crypto';
import type { AuditStatus } from '../../../../shared/api/types';
import { formatBarcode } from '../../../../shared/barcode/barcode';
import type { Db } from '../db/open';
import { GENESIS_HASH } from './log';

interface Row {
  seq: number;
  at: string;
  actor: string | null;
  event: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

interface ReceiptRow {
  id: string;
  seq: number;
  barcode: string;
  election_number: number;
  ballot_number: number;
  issue: number;
  member_ref: string | null;
  scanned_at: string;
  operator_id: string;
  batch_id: string;
  position: number;
  source: string;
  manual_reason: string | null;
  desk_outcome: string;
}

/**
 * The canonical JSON of an entry, built directly: the keys of {seq, at, actor, event, detail}
 * in sorted order, with the detail as stored (AuditLog stores it already canonical). Equal to
 * log.ts canonicalJson(record) for every entry AuditLog writes (tested), and several times faster.
 */
function entryHashFast(seq: number, at: string, actor: string | null, event: string, detail: string, prevHash: string): string {
  const json = `{"actor":${actor === null ? 'null' : JSON.stringify(actor)},"at":${JSON.stringify(at)},"detail":${detail},"event":${JSON.stringify(event)},"seq":${seq}}`;
  // crypto.hash (one call, no Hash object) is about three times faster than createHash here
  return oneShotHash('sha256', prevHash + json, 'hex');
}

/** An audit row as read by the chain check (raw mode: arrays are cheaper than objects). */
type ChainTuple = [seq: number, at: string, actor: string | null, event: string, detail: string, prevHash: string, hash: string];

type Detail = Record<string, unknown>;

/**
 * The canonical detail that recordScan writes for this receipt (keys sorted as canonicalJson
 * sorts them). When the stored detail is exactly this, the receipt matches its entry without
 * parsing any JSON: the common case, and most of the check's time on a long log.
 */
// Receipts are read as arrays (better-sqlite3 raw mode): a million row objects of fourteen
// fields cost more than everything else the coverage check does.
const RECEIPT_COLUMNS = [
  'id', 'seq', 'barcode', 'election_number', 'ballot_number', 'issue', 'member_ref', 'scanned_at',
  'operator_id', 'batch_id', 'position', 'source', 'manual_reason', 'desk_outcome',
] as const;
type ReceiptTuple = [string, number, string, number, number, number, string | null, string, string, string, number, string, string | null, string];

function receiptRow(t: ReceiptTuple): ReceiptRow {
  return Object.fromEntries(RECEIPT_COLUMNS.map((c, i) => [c, t[i]])) as unknown as ReceiptRow;
}

function expectedScanDetail(t: ReceiptTuple): string {
  const r = { id: t[0], seq: t[1], barcode: t[2], member_ref: t[6], batch_id: t[9], position: t[10], source: t[11], manual_reason: t[12], desk_outcome: t[13] };
  return (
    `{"batchId":${JSON.stringify(r.batch_id)},"display":"${formatBarcode(r.barcode)}",` +
    (r.manual_reason === null ? '' : `"manualReason":${JSON.stringify(r.manual_reason)},`) +
    `"memberRef":${r.member_ref === null ? 'null' : JSON.stringify(r.member_ref)},"outcome":${JSON.stringify(r.desk_outcome)},` +
    `"position":${r.position},"receiptId":${JSON.stringify(r.id)},"seq":${r.seq},"source":${JSON.stringify(r.source)}}`
  );
}

function barcodeFieldsAgree(t: ReceiptTuple): boolean {
  const barcode = t[2];
  return t[3] === Number(barcode.slice(0, 4)) && t[4] === Number(barcode.slice(4, 13)) && t[5] === Number(barcode.slice(13, 14));
}

function receiptDiffers(r: ReceiptRow, entry: Row, d: Detail): string | null {
  const expect: Array<[string, unknown, unknown]> = [
    ['id', r.id, d.receiptId],
    ['barcode', formatBarcode(r.barcode), d.display],
    ['batch', r.batch_id, d.batchId],
    ['position', r.position, d.position],
    ['source', r.source, d.source],
    ['operator', r.operator_id, entry.actor],
    ['scan time', r.scanned_at, entry.at],
    ['manual reason', r.manual_reason, d.manualReason ?? null],
  ];
  if ('memberRef' in d) expect.push(['member', r.member_ref, d.memberRef]);
  if ('outcome' in d) expect.push(['desk verdict', r.desk_outcome, d.outcome]);
  // The parsed fields must agree with the barcode they were parsed from.
  expect.push(['election', r.election_number, Number(r.barcode.slice(0, 4))]);
  expect.push(['ballot number', r.ballot_number, Number(r.barcode.slice(4, 13))]);
  expect.push(['issue', r.issue, Number(r.barcode.slice(13, 14))]);
  for (const [what, actual, recorded] of expect) if (actual !== recorded) return what;
  return null;
}

export type Broken = { seq: number; problem: string };

/** The chain alone: seq without gaps, each prev_hash the previous hash, each hash recomputes. */
export function verifyChain(db: Db): { entries: number; broken: Broken | null } {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  db.exec('BEGIN');
  try {
    const rows = db.prepare('SELECT seq, at, actor, event, detail, prev_hash, hash FROM audit ORDER BY seq').raw(true).iterate() as IterableIterator<ChainTuple>;
    for (const [seq, at, actor, event, detail, prev, hash] of rows) {
      if (seq !== expectedSeq) return { entries, broken: { seq: expectedSeq, problem: `entry ${expectedSeq} is missing` } };
      if (prev !== prevHash) return { entries, broken: { seq, problem: `entry ${seq} does not follow entry ${seq - 1}` } };
      if (entryHashFast(seq, at, actor, event, detail, prev) !== hash) return { entries, broken: { seq, problem: `entry ${seq} was changed after it was written` } };
      prevHash = hash;
      expectedSeq++;
      entries++;
    }
  } finally {
    db.exec('COMMIT');
  }
  return { entries, broken: null };
}

/**
 * Coverage: every receipt, flag and decision has its entry and still says what the entry
 * says. Receipts are written in seq order, each with its scan.recorded entry in the same
 * transaction, so receipts and entries are walked side by side (no receipt is held in memory).
 */
export function verifyCoverage(db: Db): Broken | null {
  let best: Broken | null = null;
  const broken = (seq: number, problem: string) => {
    if (!best || seq < best.seq) best = { seq, problem };
  };
  const flagEntries = new Map<string, { seq: number; receiptId: unknown; kind: unknown; at: string }>();
  const decisionEntries = new Map<string, { seq: number; flagId: unknown; decision: unknown; note: unknown; supervisorId: unknown; at: string }>();
  const refusalEntries = new Map<string, { seq: number; reason: unknown }>();
  let lastSeq = 0;
  db.exec('BEGIN');
  try {
    const receipts = db.prepare(`SELECT ${RECEIPT_COLUMNS.join(', ')} FROM receipts ORDER BY seq`).raw(true).iterate() as IterableIterator<ReceiptTuple>;
    let pushedBack: ReceiptTuple | undefined;
    const takeReceipt = (): ReceiptTuple | undefined => {
      if (pushedBack) {
        const r = pushedBack;
        pushedBack = undefined;
        return r;
      }
      const n = receipts.next();
      return n.done ? undefined : n.value;
    };
    const entries = db
      .prepare("SELECT seq, at, actor, event, detail FROM audit WHERE +event IN ('scan.recorded', 'flag.raised', 'flag.decided', 'flag.decision_refused') ORDER BY seq") // in seq order, not through the event index and a sort
      .iterate() as IterableIterator<Row>;
    for (const r of entries) {
      lastSeq = r.seq;
      if (r.event === 'scan.recorded' && !best && !pushedBack) {
        const receipt = takeReceipt();
        if (receipt && r.detail === expectedScanDetail(receipt) && r.actor === receipt[8] && r.at === receipt[7] && barcodeFieldsAgree(receipt)) continue;
        pushedBack = receipt; // not the plain case: the full comparison below says what differs
      }
      let d: Detail;
      try {
        d = JSON.parse(r.detail) as Detail;
      } catch {
        broken(r.seq, `entry ${r.seq} cannot be read`);
        break;
      }
      if (r.event === 'scan.recorded') {
        if (best) continue; // the first receipt problem is known; later ones are not needed
        const tuple = takeReceipt();
        const receipt = tuple ? receiptRow(tuple) : undefined;
        if (!tuple || !receipt || receipt.seq > Number(d.seq)) {
          pushedBack = tuple;
          broken(r.seq, `receipt ${String(d.receiptId)} of entry ${r.seq} is missing`);
        } else if (receipt.seq < Number(d.seq)) {
          broken(r.seq, `receipt ${receipt.id} (number ${receipt.seq}) has no audit entry`);
        } else {
          const differs = receiptDiffers(receipt, r, d);
          if (differs) broken(r.seq, `receipt ${receipt.id} no longer matches entry ${r.seq} (${differs})`);
        }
      } else if (r.event === 'flag.raised') {
        flagEntries.set(String(d.flagId), { seq: r.seq, receiptId: d.receiptId, kind: d.kind, at: r.at });
      } else if (r.event === 'flag.decision_refused') {
        refusalEntries.set(String(d.decisionId), { seq: r.seq, reason: d.reason });
      } else if (typeof d.decisionId === 'string') {
        decisionEntries.set(d.decisionId, { seq: r.seq, flagId: d.flagId, decision: d.decision, note: d.note, supervisorId: d.supervisorId, at: r.at });
      }
    }
    const head = (db.prepare('SELECT COALESCE(max(seq), 0) AS s FROM audit').get() as { s: number }).s;
    const afterEnd = Math.max(head, lastSeq) + 1;
    if (!best) {
      const extra = takeReceipt();
      if (extra) broken(afterEnd, `receipt ${extra[0]} (number ${extra[1]}) has no audit entry`);
    }
    receipts.return?.();
    checkFlags(db, flagEntries, broken, afterEnd);
    checkDecisions(db, decisionEntries, broken, afterEnd);
    checkRefusals(db, refusalEntries, broken, afterEnd);
  } finally {
    db.exec('COMMIT');
  }
  return best;
}

export function combineAuditChecks(chain: { entries: number; broken: Broken | null }, coverage: Broken | null): AuditStatus {
  const first = [chain.broken, coverage].filter((b): b is Broken => b !== null).sort((a, b) => a.seq - b.seq)[0];
  return first
    ? { ok: false, entries: chain.entries, firstBrokenSeq: first.seq, problem: first.problem }
    : { ok: true, entries: chain.entries, firstBrokenSeq: null, problem: null };
}

/** Both checks, one after the other, on one connection (the worker runner runs them side by side). */
export function verifyAuditChain(db: Db): AuditStatus {
  return combineAuditChecks(verifyChain(db), verifyCoverage(db));
}

function checkFlags(
  db: Db,
  entries: Map<string, { seq: number; receiptId: unknown; kind: unknown; at: string }>,
  broken: (seq: number, problem: string) => void,
  afterEnd: number,
): void {
  const rows = db.prepare('SELECT id, receipt_id, kind, raised_at FROM flags').iterate() as IterableIterator<{ id: string; receipt_id: string; kind: string; raised_at: string }>;
  for (const f of rows) {
    const e = entries.get(f.id);
    if (!e) {
      broken(afterEnd, `flag ${f.id} has no audit entry`);
      continue;
    }
    entries.delete(f.id);
    if (e.receiptId !== f.receipt_id || e.kind !== f.kind) broken(e.seq, `flag ${f.id} no longer matches entry ${e.seq}`);
  }
  for (const [id, e] of entries) broken(e.seq, `flag ${id} of entry ${e.seq} is missing`);
}

function checkDecisions(
  db: Db,
  entries: Map<string, { seq: number; flagId: unknown; decision: unknown; note: unknown; supervisorId: unknown; at: string }>,
  broken: (seq: number, problem: string) => void,
  afterEnd: number,
): void {
  const rows = db.prepare('SELECT id, flag_id, decision, note, supervisor_id, decided_at, made_here FROM decisions').iterate() as IterableIterator<{
    id: string;
    flag_id: string;
    decision: string;
    note: string;
    supervisor_id: string | null;
    decided_at: string;
    made_here: number;
  }>;
  for (const d of rows) {
    const e = entries.get(d.id);
    if (!e) {
      broken(afterEnd, `decision ${d.id} has no audit entry`);
      continue;
    }
    entries.delete(d.id);
    if (e.flagId !== d.flag_id || e.decision !== d.decision || e.note !== d.note || e.supervisorId !== d.supervisor_id)
      broken(e.seq, `decision ${d.id} no longer matches entry ${e.seq}`);
  }
  for (const [id, e] of entries) broken(e.seq, `decision ${id} of entry ${e.seq} is missing`);
}

/** Every refusal of a decision by the server has its entry and still gives the same reason. */
function checkRefusals(db: Db, entries: Map<string, { seq: number; reason: unknown }>, broken: (seq: number, problem: string) => void, afterEnd: number): void {
  const rows = db.prepare('SELECT decision_id, reason FROM decision_refusals').iterate() as IterableIterator<{ decision_id: string; reason: string }>;
  for (const x of rows) {
    const e = entries.get(x.decision_id);
    if (!e) {
      broken(afterEnd, `the refusal of decision ${x.decision_id} has no audit entry`);
      continue;
    }
    entries.delete(x.decision_id);
    if (e.reason !== x.reason) broken(e.seq, `the refusal of decision ${x.decision_id} no longer matches entry ${e.seq}`);
  }
  for (const [id, e] of entries) broken(e.seq, `the refusal of decision ${id} of entry ${e.seq} is missing`);
}
