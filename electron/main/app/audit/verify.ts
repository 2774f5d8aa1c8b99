// Checks the audit log end to end, and the records it vouches for:
//  - the chain: seq without gaps, each prev_hash is the previous hash, each hash recomputes;
//  - coverage: every receipt, flag and decision has its audit entry, and still says what
//    that entry says (a receipt changed from outside, with the triggers dropped, shows here).
// Reports the first broken sequence number. The log is checked in stretches of seq, each in
// one pass (chain and receipts together, so each entry is read once) inside one read
// transaction; verify-runner.ts runs the stretches side by side in worker threads, each on its
// own read-only connection, so a million entries never block the main thread and use every core.
// This file walks the chain; verify/receipt-coverage.ts compares receipts with their entries,
// verify/records.ts the other records.
import { hash as oneShotHash } from 'node:crypto';
import type { AuditStatus } from '../../../../shared/api/types';
import type { Db } from '../db/open';
import { GENESIS_HASH } from './log';
import { ReceiptCursor, receiptDiffers, receiptRow, scanMatches, type ReceiptTuple } from './verify/receipt-coverage';
import { checkRecords } from './verify/records';
import { PAGE, type AuditRow, type Broken, type Detail } from './verify/types';

export type { Broken } from './verify/types';

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
  const entryStmt = db.prepare<[number], AuditRow>('SELECT seq, at, actor, event, detail, prev_hash, hash FROM audit WHERE seq = ?');

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

