// Drawing helpers of the statement PDF, shared by the desk's part (statement.ts) and the
// centre's (statement-centre.ts): tables whose cells wrap inside their column, so a long tray
// or desk name is printed whole (issue 14 item 11), never cut and never over the next row.

/** The part of PDFKit the statement draws with. */
export interface PdfPage {
  y: number;
  x: number;
  page: { height: number; margins?: { bottom: number } };
  addPage(): unknown;
  font(name: string): PdfPage;
  fontSize(size: number): PdfPage;
  text(text: string, x?: number, y?: number, options?: Record<string, unknown>): PdfPage;
  text(text: string, options?: Record<string, unknown>): PdfPage;
  moveDown(lines?: number): PdfPage;
  widthOfString(text: string): number;
  heightOfString(text: string, options?: Record<string, unknown>): number;
}

/** The lowest y a row may reach on a page before it goes to the next one. */
const bottomOf = (doc: PdfPage) => doc.page.height - 60;

/**
 * One row of a PDF table at the columns' x positions (the last runs to the right margin). A
 * long cell wraps inside its column; the row is as tall as its tallest cell and goes whole to
 * the next page when it would not fit on this one.
 */
export function tableRow(doc: PdfPage, cols: number[], cells: string[], bold = false): void {
  doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
  const widths = cells.map((_, i) => (cols[i + 1] ?? 545) - cols[i]! - 4);
  const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] })));
  if (doc.y + height > bottomOf(doc)) doc.addPage();
  const y = doc.y;
  cells.forEach((cell, i) => {
    doc.text(cell, cols[i]!, y, { width: widths[i] });
  });
  doc.text('', 50, y + height + 3);
}

/** Starts a new page unless `height` points still fit on this one (a block that must stay together). */
export function keepTogether(doc: PdfPage, height: number): void {
  if (doc.y + height > bottomOf(doc)) doc.addPage();
}
