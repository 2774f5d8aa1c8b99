// Drawing helpers of the statement PDF, shared by the desk's part (statement.ts) and the
// centre's (statement-centre.ts). The tables are PDFKit's own (doc.table(), PDFKit ≥ 0.17):
// each cell's text wraps inside its column, so a long tray or desk name is printed whole (issue
// 14 item 11) and never runs into the next column (PDFKit clips a cell to its box), and a row
// that would not fit on the page goes whole to the next one.

/** The statement's PDF document (PDFKit). */
export type Pdf = PDFKit.PDFDocument;

/** The left margin: the page is A4 with margins of 50 points, so 495 points of width. */
export const LEFT = 50;

/** A table being drawn: add rows, then end it. */
export interface StatementTable {
  /** One row, a cell per column; a header row in bold. */
  row(cells: readonly string[], bold?: boolean): void;
  /** A line of words across the whole row, below the row it explains, a little indented. */
  note(text: string): void;
  end(): void;
}

/**
 * A borderless table at the left margin with columns of these widths (points), in Helvetica
 * of this size. Every cell names its font, so a page header drawn when a row moves to a new
 * page (statement.ts, a provisional statement) cannot change the type a row was measured in.
 */
export function statementTable(doc: Pdf, widths: readonly number[], size: number): StatementTable {
  const table = doc.table({
    position: { x: LEFT, y: doc.y },
    maxWidth: widths.reduce((a, w) => a + w, 0),
    columnStyles: widths.map((width) => ({ width })),
    // no rules; 4 points between columns, 3 between rows, as the statement always had
    defaultStyle: { border: 0, padding: { top: 0, right: 4, bottom: 3, left: 0 } },
  });
  const font = (bold: boolean) => ({ src: bold ? 'Helvetica-Bold' : 'Helvetica', size });
  return {
    row: (cells, bold = false) => {
      table.row(cells.map((text) => ({ text, font: font(bold) })));
    },
    note: (text) => {
      table.row([{ text, colSpan: widths.length, font: font(false), padding: { top: 0, right: 0, bottom: 5, left: 10 } }]);
    },
    end: () => {
      table.end();
      doc.x = LEFT;
    },
  };
}

/** Starts a new page unless `height` points still fit on this one (a block that is not a table and must stay together). */
export function keepTogether(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.height - 60) doc.addPage();
}
