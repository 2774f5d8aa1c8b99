// Drawing helpers of the statement PDF, shared by the desk's part (statement.ts) and the
// centre's (statement-centre.ts): tables of one line per row, whatever the cells say.

/** The part of PDFKit the statement draws with. */
export interface PdfPage {
  y: number;
  x: number;
  page: { height: number };
  addPage(): unknown;
  font(name: string): PdfPage;
  fontSize(size: number): PdfPage;
  text(text: string, x?: number, y?: number, options?: Record<string, unknown>): PdfPage;
  text(text: string, options?: Record<string, unknown>): PdfPage;
  moveDown(lines?: number): PdfPage;
  widthOfString(text: string): number;
}

/** The text cut to `width` with an ellipsis: one line per row, whatever a tray or desk is called. */
export function fit(doc: PdfPage, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let cut = text;
  while (cut.length > 1 && doc.widthOfString(`${cut}...`) > width) cut = cut.slice(0, -1);
  return `${cut}...`;
}

/**
 * One row of a PDF table at the columns' x positions (the last runs to the right margin): one
 * line whatever its cells say — a long cell is cut with an ellipsis, never drawn over the next row.
 */
export function tableRow(doc: PdfPage, cols: number[], cells: string[], bold = false): void {
  if (doc.y > doc.page.height - 90) doc.addPage();
  const y = doc.y;
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
  cells.forEach((cell, i) => {
    const width = (cols[i + 1] ?? 545) - cols[i]! - 4;
    doc.text(fit(doc, cell, width), cols[i]!, y, { width, lineBreak: false });
  });
  doc.text('', 50, y + 14);
}
