// The receipts export: one line per receipt, with its flag, the flag's state and the
// server's verdict, in the order the workstation recorded them.
import { formatBarcode } from '../../../../shared/barcode/barcode';
import type { Db } from '../db/open';
import { currentDecisionOf } from '../ledger/current-decision';
import { csvLine } from './csv';
import type { ExportPages } from './write';

const PAGE = 2_000;
const HEADER = [
  'receipt_id', 'workstation_seq', 'barcode', 'display', 'ballot_number', 'issue', 'member_ref', 'scanned_at',
  'operator', 'batch', 'position', 'source', 'manual_reason', 'confirmed_by', 'desk_verdict', 'flag_kind', 'latest_decision', 'server_verdict',
];

interface Row {
  id: string; seq: number; barcode: string; ballot_number: number; issue: number; member_ref: string | null; scanned_at: string;
  operator: string | null; batch: string | null; position: number; source: string; manual_reason: string | null; confirmed_by: string | null; desk_outcome: string;
  kind: string | null; latest: string | null; sv: string | null;
}

export function* receiptsCsv(db: Db): ExportPages {
  const page = db.prepare<[number, number], Row>(`
    SELECT r.id, r.seq, r.barcode, r.ballot_number, r.issue, r.member_ref, r.scanned_at, p.name AS operator, b.label AS batch,
           r.position, r.source, r.manual_reason, c.name AS confirmed_by, r.desk_outcome, f.kind,
           ${currentDecisionOf('f')} AS latest,
           sv.outcome AS sv
      FROM receipts r LEFT JOIN people p ON p.id = r.operator_id LEFT JOIN people c ON c.id = r.confirmed_by LEFT JOIN batches b ON b.id = r.batch_id
      LEFT JOIN flags f ON f.receipt_id = r.id LEFT JOIN server_verdicts sv ON sv.receipt_id = r.id
     WHERE r.seq > ? ORDER BY r.seq LIMIT ?`);
  yield [csvLine(HEADER)];
  for (let after = 0; ; ) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) return;
    yield rows.map((r) =>
      // every cell through csvField (exports/csv.ts): text that could be a formula is guarded
      csvLine([
        r.id, r.seq, r.barcode, formatBarcode(r.barcode), r.ballot_number, r.issue, r.member_ref,
        r.scanned_at, r.operator, r.batch, r.position, r.source, r.manual_reason, r.confirmed_by,
        r.desk_outcome, r.kind, r.latest, r.sv,
      ]),
    );
    after = rows[rows.length - 1]!.seq;
  }
}
