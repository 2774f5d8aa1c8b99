// CSV lines (RFC 4180) that a spreadsheet program opens as data, never as formulas.
//
// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return can be run as a formula by
// Excel, LibreOffice or Google Sheets (`=HYPERLINK(…)` in a member reference, say, from a register
// file or the central server). Every text cell is therefore guarded, whatever its source: such a
// cell gets a leading `'` (shown by no spreadsheet, it marks the cell as text). The guard is in
// csvLine itself, so no export can forget a column. Numbers the app computed (a JS number, such as
// a tray's discrepancy of -3) are not text and cannot hold a formula: they are written as numbers.
// Column names and the app's own codes start with none of those characters, so they pass as they are.

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const s = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line: every cell through csvField, CRLF at the end. */
export function csvLine(cells: ReadonlyArray<CsvCell>): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}
