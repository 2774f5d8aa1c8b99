// CSV lines (RFC 4180). Free text typed by people (notes, reasons, names) is kept from being
// read as a formula by spreadsheet programs.
export function csvField(value: string | number | null | undefined, freeText = false): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: ReadonlyArray<string>): string {
  return `${fields.join(',')}\r\n`;
}
