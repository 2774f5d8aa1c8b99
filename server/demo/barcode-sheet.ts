// A printable sheet of envelope barcodes for training: Code 128 symbols (rendered by bwip-js
// in pure JS) with the human-readable line EEEE-BBBBBBBBB-I-CC under each, as PDF text so
// that it can be searched and read back.
import { createWriteStream } from 'node:fs';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { formatBarcode } from '../../shared/barcode/barcode';

export interface SheetEnvelope {
  barcode: string;
  /** a small caption under the number (e.g. the member and pack) */
  caption: string;
}

const COLUMNS = 3;
const ROWS = 8;
const MARGIN = 36; // half an inch

export async function writeBarcodeSheet(path: string, title: string, envelopes: SheetEnvelope[]): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: title } });
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('finish', resolve);
    out.on('error', reject);
    doc.pipe(out);
  });
  const cellWidth = (doc.page.width - 2 * MARGIN) / COLUMNS;
  const top = MARGIN + 24;
  const cellHeight = (doc.page.height - top - MARGIN) / ROWS;
  const perPage = COLUMNS * ROWS;
  for (let i = 0; i < envelopes.length; i++) {
    const onPage = i % perPage;
    if (onPage === 0) {
      if (i > 0) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(11).text(`${title} — page ${i / perPage + 1}`, MARGIN, MARGIN);
    }
    const e = envelopes[i]!;
    const x = MARGIN + (onPage % COLUMNS) * cellWidth;
    const y = top + Math.floor(onPage / COLUMNS) * cellHeight;
    const png = await bwipjs.toBuffer({ bcid: 'code128', text: e.barcode, scale: 2, height: 12, includetext: false, paddingwidth: 10 });
    doc.image(png, x + 8, y + 6, { fit: [cellWidth - 16, cellHeight - 34], align: 'center' });
    doc.font('Courier-Bold').fontSize(10).text(formatBarcode(e.barcode), x, y + cellHeight - 28, { width: cellWidth, align: 'center', lineBreak: false });
    doc.font('Helvetica').fontSize(7).text(e.caption, x, y + cellHeight - 16, { width: cellWidth, align: 'center', lineBreak: false });
  }
  doc.end();
  await done;
}
