// Coverage of receipts by their scan.recorded entries: each receipt read as a tuple, in seq
// order, and compared with its entry — on the fast path as the canonical JSON the entry must
// be (scanMatches), else field by field (receiptDiffers), which also says what differs.
import type { Db } from '../../db/open';
import { formatBarcode } from '../../../../../shared/barcode/barcode';
import { PAGE, type AuditRow, type Detail } from './types';

export interface ReceiptRow {
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

// Receipts are read as arrays (better-sqlite3 raw mode): a million row objects of fourteen
// fields cost more than everything else the coverage check does.
export const RECEIPT_COLUMNS = [
  'id', 'seq', 'barcode', 'election_number', 'ballot_number', 'issue', 'member_ref', 'scanned_at',
  'operator_id', 'batch_id', 'position', 'source', 'manual_reason', 'desk_outcome', 'confirmed_by',
] as const;
export type ReceiptTuple = [string, number, string, number, number, number, string | null, string, string, string, number, string, string | null, string, string | null];

export function receiptRow(t: ReceiptTuple): ReceiptRow {
  return Object.fromEntries(RECEIPT_COLUMNS.map((c, i) => [c, t[i]])) as unknown as ReceiptRow;
}

/**
 * The canonical JSON of scanDetail (../scan-detail.ts) for this receipt, built straight from
 * its row (keys sorted as canonicalJson sorts them). When the stored detail is exactly this, the
 * receipt matches its entry without parsing any JSON: the common case, and most of the check's
 * time on a long log. test/unit/scan-detail.test.ts holds it equal to canonicalJson(scanDetail).
 */
export function expectedScanDetail(t: ReceiptTuple, batchQuoted = JSON.stringify(t[9])): string {
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

export function receiptDiffers(r: ReceiptRow, entry: AuditRow, d: Detail): string | null {
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

/** Receipts in seq order from a starting point, a page at a time (the order verifyCoverage always used). */
export class ReceiptCursor {
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
export function scanMatches(json: string, seq: number, t: ReceiptTuple): boolean {
  const expected = `{"actor":${operatorQuoted.of(t[8])},"at":${JSON.stringify(t[7])},"detail":${expectedScanDetail(t, batchQuoted.of(t[9]))},"event":"scan.recorded","seq":${seq}}`;
  return json === expected && barcodeFieldsAgree(t);
}

