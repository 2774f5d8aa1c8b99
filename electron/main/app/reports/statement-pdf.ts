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
 * A table that runs onto another page starts it with its column headings again (its first bold
 * row): a signed page is read on its own. PDFKit's tables do not repeat headings, so a row that
 * would not fit ends the table here, and it goes on, headings first, on the next page.
 */
export function statementTable(doc: Pdf, widths: readonly number[], size: number): StatementTable {
  const PAD = { top: 0, right: 4, bottom: 3, left: 0 };
  const NOTE_PAD = { top: 0, right: 0, bottom: 5, left: 10 };
  const total = widths.reduce((a, w) => a + w, 0);
  const start = () =>
    doc.table({
      position: { x: LEFT, y: doc.y },
      maxWidth: total,
      columnStyles: widths.map((width) => ({ width })),
      // no rules; 4 points between columns, 3 between rows, as the statement always had
      defaultStyle: { border: 0, padding: PAD },
    });
  let table = start();
  let headings: readonly string[] | null = null;
  const font = (bold: boolean) => ({ src: bold ? 'Helvetica-Bold' : 'Helvetica', size });
  const heightOf = (text: string, width: number, bold: boolean) =>
    doc.font(font(bold).src).fontSize(size).heightOfString(text, { width });
  /** Ends the table and goes on, headings first, on a new page when a row this high would not fit here. */
  const makeRoom = (height: number) => {
    if (headings === null || doc.y + height < doc.page.maxY()) return;
    table.end();
    doc.addPage();
    table = start();
    table.row(headings.map((text) => ({ text, font: font(true) })));
  };
  return {
    row: (cells, bold = false) => {
      if (bold && headings === null) headings = cells;
      else makeRoom(Math.max(...cells.map((text, i) => heightOf(text, widths[i]! - PAD.right, bold))) + PAD.bottom);
      table.row(cells.map((text) => ({ text, font: font(bold) })));
    },
    note: (text) => {
      makeRoom(heightOf(text, total - NOTE_PAD.left, false) + NOTE_PAD.bottom);
      table.row([{ text, colSpan: widths.length, font: font(false), padding: NOTE_PAD }]);
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
