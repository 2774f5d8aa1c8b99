// The statement CSV's shape, shared by the desk's part (statement.ts) and the centre's part
// (statement-centre.ts): ten columns; a figure is `section,item,value` with the rest empty,
// and a tray fills the count columns.
import { csvLine } from '../exports/csv';

export const STATEMENT_CSV_HEADER = ['section', 'item', 'value', 'expected', 'scanned', 'flagged', 'physical', 'discrepancy', 'opened_at', 'closed_at'];

/** One figure as a CSV line. */
export function figureLine(section: string, item: string, value: string | number | null): string {
  // every cell through csvField (exports/csv.ts): text that could be a formula is guarded
  return csvLine([section, item, value, null, null, null, null, null, null, null]);
}
