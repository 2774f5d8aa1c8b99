// Checks the audit log end to end, and the records it vouches for:
//  - the chain: seq without gaps, each prev_hash is the previous hash, each hash recomputes;
//  - coverage: every receipt, flag and decision has its audit entry, and still says what
//    that entry says (a receipt changed from outside, with the triggers dropped, shows here).
// Reports the first broken sequence number. The log is checked in stretches of seq, each in
// one pass (chain and receipts together, so each entry is read once) inside one read
// transaction; verify-runner.ts runs the stretches side by side in worker threads, each on its
// own read-only connection, so a million entries never block the main thread and use every core.
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
  confirmed_by: string | null;
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
  'operator_id', 'batch_id', 'position', 'source', 'manual_reason', 'desk_outcome', 'confirmed_by',
] as const;
type ReceiptTuple = [string, number, string, number, number, number, string | null, string, string, string, number, string, string | null, string, string | null];

function receiptRow(t: ReceiptTuple): ReceiptRow {
  return Object.fromEntries(RECEIPT_COLUMNS.map((c, i) => [c, t[i]])) as unknown as ReceiptRow;
}

function expectedScanDetail(t: ReceiptTuple, batchQuoted = JSON.stringify(t[9])): string {
  const barcode = t[2];
  const manualReason = t[12];
  const confirmedBy = t[14];
  return (
    `{"batchId":${batchQuoted},` +
    (confirmedBy === null ? '' : `"confirmedBy":${JSON.stringify(confirmedBy)},`) +
    `"display":"${barcode.slice(0, 4)}-${barcode.slice(4, 13)}-${barcode.slice(13, 14)}-${barcode.slice(14, 16)}",` +
    (manualReason === null ? '' : `"manualReason":${JSON.stringify(manualReason)},`) +
    `"memberRef":${t[6] === null ? 'null' : JSON.stringify(t[6])},"outcome":${JSON.stringify(t[13])},` +
    `"position":${t[10]},"receiptId":${JSON.stringify(t[0])},"seq":${t[1]},"source":${JSON.stringify(t[11])}}`
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
    ['confirming supervisor', r.confirmed_by, d.confirmedBy ?? null],
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

/**
 * One stretch of the log, [from, to] (`to` null: to the end), checked in one pass: the chain
 * over every entry of the stretch, and the receipts against the scan.recorded entries in it.
 * The stretch marked `records` (the last) also checks flags, decisions and refusals, and the
 * receipts left over at the end. Stretches are independent: each reads the hash of the entry
 * before it as its first prev_hash, and starts at the receipt that follows the scan.recorded
 * entries before it, so they can run side by side on their own connections.
 */
export interface AuditRange {
  from: number;
  to: number | null;
  records: boolean;
}

export interface RangeResult {
  /** entries that verified before the chain broke (all of them when it did not) */
  entries: number;
  chain: Broken | null;
  coverage: Broken | null;
}

/** The last stretch also checks flags, decisions and refusals: about a tenth of a stretch's work. */
const RECORDS_WEIGHT = 0.1;

/** Splits 1..head into `parts` stretches of about equal work; the last one is open-ended. */
export function splitAuditRanges(head: number, parts: number): AuditRange[] {
  const n = Math.max(1, Math.min(Math.floor(parts), Math.floor(head / 2) || 1));
  const ranges: AuditRange[] = [];
  const share = head / (n - RECORDS_WEIGHT); // entries per stretch before the last
  let from = 1;
  for (let i = 1; i < n; i++) {
    const to = Math.round(share * i);
    ranges.push({ from, to, records: false });
    from = to + 1;
  }
  ranges.push({ from, to: null, records: true });
  return ranges;
}

// Rows are fetched in pages with .all(): cheaper per row than .iterate(), and a page of a
// thousand rows keeps memory flat.
const PAGE = 1000;

// The canonical JSON of an entry, made by SQLite in one allocation (concat), for the common
// case of text fields: json_quote gives exactly what JSON.stringify gives for every text
// (tested), and the stored detail is already canonical. When the hash does not recompute from
// it, the entry is hashed again the way log.ts does before it is called changed, so SQLite's
// string only ever saves time, it never decides.
const AUDIT_PAGE_SQL = `
  SELECT seq,
    CASE WHEN typeof(at) = 'text' AND typeof(event) = 'text' AND typeof(detail) = 'text' AND (actor IS NULL OR typeof(actor) = 'text')
      THEN concat('{"actor":', json_quote(actor), ',"at":', json_quote(at), ',"detail":', detail, ',"event":', json_quote(event), ',"seq":', seq, '}') END,
    prev_hash, hash, event = 'scan.recorded'
  FROM audit WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ${PAGE}`;
type AuditPageRow = [seq: number, json: string | null, prevHash: unknown, hash: unknown, scan: number | null];

/** Receipts in seq order from a starting point, a page at a time (the order verifyCoverage always used). */
class ReceiptCursor {
  private rows: ReceiptTuple[] = [];
  private i = 0;
  private last: unknown;
  private done: boolean;
  private readonly page;

  constructor(db: Db, start: 'first' | { seq: unknown } | null) {
    this.page = db.prepare(`SELECT ${RECEIPT_COLUMNS.join(', ')} FROM receipts WHERE seq > ? ORDER BY seq LIMIT ${PAGE}`).raw(true);
    this.done = start === null;
    if (start === 'first') {
      // ORDER BY seq puts receipts without a seq first (only a hand-made row can lack one)
      this.rows = db.prepare(`SELECT ${RECEIPT_COLUMNS.join(', ')} FROM receipts WHERE seq IS NULL ORDER BY seq`).raw(true).all() as ReceiptTuple[];
      this.last = -Infinity;
    } else if (start !== null) {
      this.rows = db.prepare(`SELECT ${RECEIPT_COLUMNS.join(', ')} FROM receipts WHERE seq >= ? ORDER BY seq LIMIT ${PAGE}`).raw(true).all(start.seq) as ReceiptTuple[];
      this.last = this.rows.at(-1)?.[1];
      if (this.rows.length < PAGE) this.done = true;
    }
  }

  next(): ReceiptTuple | undefined {
    if (this.i < this.rows.length) return this.rows[this.i++];
    if (this.done) return undefined;
    this.rows = this.page.all(this.last) as ReceiptTuple[];
    this.i = 0;
    if (this.rows.length < PAGE) this.done = true;
    if (this.rows.length === 0) return undefined;
    this.last = this.rows[this.rows.length - 1]![1];
    return this.rows[this.i++];
  }
}

/** JSON.stringify, remembering the last answer (a day's receipts share operators and trays). */
class LastQuoted {
  private value: unknown = Symbol('none');
  private quoted = '';
  of(v: unknown): string {
    if (v !== this.value) {
      this.value = v;
      this.quoted = JSON.stringify(v);
    }
    return this.quoted;
  }
}
const operatorQuoted = new LastQuoted();
const batchQuoted = new LastQuoted();

/**
 * The plain case of a scan.recorded entry, decided on SQLite's canonical JSON of the entry:
 * it is exactly the JSON of {actor: the receipt's operator, at: its scan time, detail: the
 * detail recordScan writes for it, event: 'scan.recorded', seq}. json_quote's strings end
 * where they end, so this holds exactly when actor, at and detail are what the receipt says,
 * which is the test verifyCoverage has always made. Anything else takes the full comparison.
 */
function scanMatches(json: string, seq: number, t: ReceiptTuple): boolean {
  const expected = `{"actor":${operatorQuoted.of(t[8])},"at":${JSON.stringify(t[7])},"detail":${expectedScanDetail(t, batchQuoted.of(t[9]))},"event":"scan.recorded","seq":${seq}}`;
  return json === expected && barcodeFieldsAgree(t);
}

/** Checks one stretch of the log inside one read transaction (one snapshot). */
export function verifyAuditRange(db: Db, range: AuditRange): RangeResult {
  db.exec('BEGIN');
  try {
    return checkRange(db, range);
  } finally {
    db.exec('COMMIT');
  }
}

function checkRange(db: Db, { from, to, records }: AuditRange): RangeResult {
  let coverage: Broken | null = null;
  const broken = (seq: number, problem: string) => {
    if (!coverage || seq < coverage.seq) coverage = { seq, problem };
  };
  const entryStmt = db.prepare<[number], Row>('SELECT seq, at, actor, event, detail, prev_hash, hash FROM audit WHERE seq = ?');

  // Where this stretch starts: the hash before it, and the receipt of its first scan entry.
  let prevHash: unknown = GENESIS_HASH;
  let receipts: ReceiptCursor;
  if (from === 1) receipts = new ReceiptCursor(db, 'first');
  else {
    prevHash = db.prepare('SELECT hash FROM audit WHERE seq = ?').pluck().get(from - 1);
    const before = db.prepare("SELECT count(*) FROM audit WHERE event = 'scan.recorded' AND seq < ?").pluck().get(from) as number;
    const first = db.prepare('SELECT seq FROM receipts ORDER BY seq LIMIT 1 OFFSET ?').raw(true).get(before) as [unknown] | undefined;
    receipts = new ReceiptCursor(db, first ? { seq: first[0] } : null);
  }
  let pushedBack: ReceiptTuple | undefined;
  const takeReceipt = (): ReceiptTuple | undefined => {
    if (pushedBack) {
      const r = pushedBack;
      pushedBack = undefined;
      return r;
    }
    return receipts.next();
  };

  // A scan.recorded entry that is not the plain case: the full comparison of verifyCoverage.
  let receiptsDone = false; // a receipt problem is known, or an entry could not be read
  const fullScanCheck = (seq: number) => {
    const r = entryStmt.get(seq)!;
    let d: Detail;
    try {
      d = JSON.parse(r.detail) as Detail;
    } catch {
      broken(seq, `entry ${seq} cannot be read`);
      receiptsDone = true;
      return;
    }
    const tuple = takeReceipt();
    const receipt = tuple ? receiptRow(tuple) : undefined;
    if (!tuple || !receipt || receipt.seq > Number(d.seq)) {
      pushedBack = tuple;
      broken(seq, `receipt ${String(d.receiptId)} of entry ${seq} is missing`);
    } else if (receipt.seq < Number(d.seq)) {
      broken(seq, `receipt ${receipt.id} (number ${receipt.seq}) has no audit entry`);
    } else {
      const differs = receiptDiffers(receipt, r, d);
      if (differs) broken(seq, `receipt ${receipt.id} no longer matches entry ${seq} (${differs})`);
    }
    if (coverage) receiptsDone = true;
  };

  const page = db.prepare(AUDIT_PAGE_SQL).raw(true);
  const upTo = to ?? Number.MAX_SAFE_INTEGER;
  let expectedSeq = from;
  let entries = 0;
  let chain: Broken | null = null;
  let last = from - 1;
  walk: for (;;) {
    const rows = page.all(last, upTo) as AuditPageRow[];
    for (const [seq, json, prev, hash, scan] of rows) {
      if (seq !== expectedSeq) {
        chain = { seq: expectedSeq, problem: `entry ${expectedSeq} is missing` };
        break walk;
      }
      if (prev !== prevHash) {
        chain = { seq, problem: `entry ${seq} does not follow entry ${seq - 1}` };
        break walk;
      }
      if (json === null || oneShotHash('sha256', `${prevHash as string}${json}`, 'hex') !== hash) {
        const r = entryStmt.get(seq)!;
        if (entryHashFast(seq, r.at, r.actor, r.event, r.detail, r.prev_hash) !== hash) {
          chain = { seq, problem: `entry ${seq} was changed after it was written` };
          break walk;
        }
      }
      if (scan === 1 && !receiptsDone) {
        if (pushedBack) fullScanCheck(seq);
        else {
          const receipt = takeReceipt();
          if (!(receipt && json !== null && scanMatches(json, seq, receipt))) {
            pushedBack = receipt; // not the plain case: the full comparison says what differs
            fullScanCheck(seq);
          }
        }
      }
      prevHash = hash;
      expectedSeq++;
      entries++;
    }
    if (rows.length < PAGE) break;
    last = rows[rows.length - 1]![0];
  }
  // An entry missing at the end of a stretch shows only if entries follow it.
  if (!chain && to !== null && expectedSeq <= to && db.prepare('SELECT 1 FROM audit WHERE seq > ? LIMIT 1').get(to))
    chain = { seq: expectedSeq, problem: `entry ${expectedSeq} is missing` };

  if (records) {
    const head = (db.prepare('SELECT COALESCE(max(seq), 0) AS s FROM audit').get() as { s: number }).s;
    const afterEnd = head + 1;
    if (!chain && !receiptsDone) {
      const extra = takeReceipt();
      if (extra) broken(afterEnd, `receipt ${extra[0]} (number ${extra[1]}) has no audit entry`);
    }
    checkRecords(db, broken, afterEnd);
  }
  return { entries, chain, coverage };
}

/** Every flag, decision and refusal has its entry and still says what the entry says. */
function checkRecords(db: Db, broken: (seq: number, problem: string) => void, afterEnd: number): void {
  const flagEntries = new Map<string, { seq: number; receiptId: unknown; kind: unknown; at: string }>();
  const decisionEntries = new Map<string, { seq: number; flagId: unknown; decision: unknown; note: unknown; supervisorId: unknown; at: string }>();
  const refusalEntries = new Map<string, { seq: number; reason: unknown }>();
  const liftEntries = new Map<string, { seq: number }>();
  const entries = db
    .prepare("SELECT seq, at, event, detail FROM audit WHERE event IN ('flag.raised', 'flag.decided', 'flag.decision_refused', 'flag.decision_accepted') ORDER BY seq")
    .iterate() as IterableIterator<Pick<Row, 'seq' | 'at' | 'event' | 'detail'>>;
  for (const r of entries) {
    let d: Detail;
    try {
      d = JSON.parse(r.detail) as Detail;
    } catch {
      broken(r.seq, `entry ${r.seq} cannot be read`);
      break;
    }
    if (r.event === 'flag.raised') {
      flagEntries.set(String(d.flagId), { seq: r.seq, receiptId: d.receiptId, kind: d.kind, at: r.at });
    } else if (r.event === 'flag.decision_refused') {
      refusalEntries.set(String(d.decisionId), { seq: r.seq, reason: d.reason });
    } else if (r.event === 'flag.decision_accepted') {
      liftEntries.set(String(d.decisionId), { seq: r.seq });
    } else if (typeof d.decisionId === 'string') {
      decisionEntries.set(d.decisionId, { seq: r.seq, flagId: d.flagId, decision: d.decision, note: d.note, supervisorId: d.supervisorId, at: r.at });
    }
  }
  checkFlags(db, flagEntries, broken, afterEnd);
  checkDecisions(db, decisionEntries, broken, afterEnd);
  checkRefusals(db, refusalEntries, broken, afterEnd);
  checkLifts(db, liftEntries, broken, afterEnd);
}

export function combineAuditChecks(chain: { entries: number; broken: Broken | null }, coverage: Broken | null): AuditStatus {
  const first = [chain.broken, coverage].filter((b): b is Broken => b !== null).sort((a, b) => a.seq - b.seq)[0];
  return first
    ? { ok: false, entries: chain.entries, firstBrokenSeq: first.seq, problem: first.problem }
    : { ok: true, entries: chain.entries, firstBrokenSeq: null, problem: null };
}

/** The stretches' answers, in order, as one: the first broken entry wins, the chain on a tie. */
export function combineAuditRanges(results: RangeResult[]): AuditStatus {
  let entries = 0;
  let chain: Broken | null = null;
  for (const r of results) {
    entries += r.entries;
    if (r.chain) {
      chain = r.chain;
      break;
    }
  }
  let coverage: Broken | null = null;
  for (const r of results) if (r.coverage && (!coverage || r.coverage.seq < coverage.seq)) coverage = r.coverage;
  return combineAuditChecks({ entries, broken: chain }, coverage);
}

/** The whole check on this connection, stretch after stretch (the worker runner runs them side by side). */
export function verifyAuditChain(db: Db, parts = 1): AuditStatus {
  const head = (db.prepare('SELECT COALESCE(max(seq), 0) AS s FROM audit').get() as { s: number }).s;
  return combineAuditRanges(splitAuditRanges(head, parts).map((range) => verifyAuditRange(db, range)));
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

/** Every refusal lifted (the server accepted the decision once sent again) has its entry. */
function checkLifts(db: Db, entries: Map<string, { seq: number }>, broken: (seq: number, problem: string) => void, afterEnd: number): void {
  const rows = db.prepare('SELECT decision_id FROM decision_refusal_lifts').pluck().iterate() as IterableIterator<string>;
  for (const id of rows) {
    if (!entries.delete(id)) broken(afterEnd, `the acceptance of decision ${id} has no audit entry`);
  }
  for (const [id, e] of entries) broken(e.seq, `the acceptance of decision ${id} of entry ${e.seq} is missing`);
}
