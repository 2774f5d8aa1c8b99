// The flags-and-decisions export: one line per decision, and one line for each flag that
// has none yet, so a reader sees every flag and the whole history of each. A decision the
// central server refused carries when and why: it does not count (ledger/current-decision.ts),
// unless a supervisor sent it again and the server then took it: the refusal stays in the file
// (nothing is taken back) with when it was lifted, and the decision counts again.
import { formatBarcode } from '../../../../shared/barcode/barcode';
import type { Db } from '../db/open';
import { envelopeLocationWords, TrayPlaces } from '../ledger/places';
import { csvLine } from './csv';
import type { ExportPages } from './write';

const PAGE = 2_000;
const HEADER = [
  'flag_id', 'kind', 'raised_by', 'raised_at', 'receipt_id', 'display', 'member_ref', 'operator', 'batch', 'position',
  'location', 'decision_id', 'decision', 'note', 'supervisor', 'decided_at', 'refused_by_server_at', 'refused_reason', 'refusal_lifted_at',
];

interface Row {
  rid: number; id: string; kind: string; raised_by: string; raised_at: string; receipt_id: string; barcode: string; member_ref: string | null;
  operator: string | null; batch: string | null; position: number;
}
interface DecisionRow {
  id: string; flag_id: string; decision: string; note: string; supervisor_name: string; decided_at: string; refused_at: string | null; reason: string | null; lifted_at: string | null;
}

export function* flagsCsv(db: Db): ExportPages {
  const page = db.prepare<[number, number], Row>(`
    SELECT f.rowid AS rid, f.id, f.kind, f.raised_by, f.raised_at, f.receipt_id, r.barcode, r.member_ref, p.name AS operator,
           b.label AS batch, r.position
      FROM flags f JOIN receipts r ON r.id = f.receipt_id LEFT JOIN people p ON p.id = r.operator_id LEFT JOIN batches b ON b.id = r.batch_id
     WHERE f.rowid > ? ORDER BY f.rowid LIMIT ?`);
  const decisionsOf = db.prepare<[string], DecisionRow>(
    `SELECT d.id, d.flag_id, d.decision, d.note, d.supervisor_name, d.decided_at, x.refused_at, x.reason, l.lifted_at
       FROM decisions d LEFT JOIN decision_refusals x ON x.decision_id = d.id LEFT JOIN decision_refusal_lifts l ON l.decision_id = d.id
      WHERE d.flag_id = ? ORDER BY d.decided_at, d.rowid`,
  );
  // where the envelope physically is now (a later re-scan may have moved it): tray, pocket, position
  const places = new TrayPlaces(db);
  yield [csvLine(HEADER)];
  for (let after = 0; ; ) {
    const rows = page.all(after, PAGE);
    if (rows.length === 0) return;
    const lines: string[] = [];
    for (const f of rows) {
      // every cell through csvField (exports/csv.ts): text that could be a formula is guarded
      const flagFields = [f.id, f.kind, f.raised_by, f.raised_at, f.receipt_id, formatBarcode(f.barcode), f.member_ref, f.operator, f.batch, f.position,
        envelopeLocationWords(places, f.receipt_id)];
      const decisions = decisionsOf.all(f.id);
      if (decisions.length === 0) lines.push(csvLine([...flagFields, null, null, null, null, null, null, null, null]));
      for (const d of decisions)
        lines.push(csvLine([...flagFields, d.id, d.decision, d.note, d.supervisor_name, d.decided_at, d.refused_at, d.reason, d.lifted_at]));
    }
    yield lines;
    after = rows[rows.length - 1]!.rid;
  }
}
