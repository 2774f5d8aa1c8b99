// The printable training pack: a plain first page (title, how to print, what each row is), then
// pages laid out for standard A4 label stock — 21 labels, 3 across and 7 down, 70 × 42.3 mm, no
// gaps, no side margins — with nothing but labels on them (a title would push every label off
// its sticker). Each label: what the envelope is, its Code 128 symbol (bwip-js, pure JS), the
// human-readable number EEEE-BBBBBBBBB-I-CC, what the desk should say and what to do then. All
// words are PDF text, so the sheet can be searched and read back (pdftotext).
import { createWriteStream } from 'node:fs';
import bwipjs from 'bwip-js/node';
import PDFDocument from 'pdfkit';
import { formatBarcode } from '../../shared/barcode/barcode';
import { verdictWords, whatToDo, type TrainingCase, type TrainingEnvelope } from './training-envelopes';

const MM = 72 / 25.4;
/** The label stock: A4 sheets of 21 labels, 3 × 7, 70 × 42.3 mm, edge to edge (a common standard size). */
export const LABEL_LAYOUT = { columns: 3, rows: 7, widthMm: 70, heightMm: 42.3 } as const;
const LABEL_W = LABEL_LAYOUT.widthMm * MM;
const LABEL_H = LABEL_LAYOUT.heightMm * MM;
const A4_W = 210 * MM;
const A4_H = 297 * MM;
const SIDE = (A4_W - LABEL_LAYOUT.columns * LABEL_W) / 2; // 0 mm
const TOP = (A4_H - LABEL_LAYOUT.rows * LABEL_H) / 2; // 0.45 mm
/** Kept clear inside each label: printers cannot print to a sticker's edge. */
const PAD = 4 * MM;
export const LABELS_PER_PAGE = LABEL_LAYOUT.columns * LABEL_LAYOUT.rows;

/** Where label `i` of a label page sits, in PDF points from the top left (pdftotext's -x/-y). */
export function labelBox(i: number): { x: number; y: number; width: number; height: number } {
  const onPage = i % LABELS_PER_PAGE;
  return { x: SIDE + (onPage % LABEL_LAYOUT.columns) * LABEL_W, y: TOP + Math.floor(onPage / LABEL_LAYOUT.columns) * LABEL_H, width: LABEL_W, height: LABEL_H };
}

export interface TrainingSheet {
  title: string;
  /** lines of the first page about the demo (where the enrolment code is, which election) */
  about: string[];
  cases: TrainingCase[];
  everyday: TrainingEnvelope[];
}

export async function writeTrainingSheet(path: string, sheet: TrainingSheet): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: sheet.title } });
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    out.on('finish', resolve);
    out.on('error', reject);
    doc.pipe(out);
  });
  firstPage(doc, sheet);
  const labels = [...sheet.cases.flatMap((c) => c.envelopes), ...sheet.everyday];
  for (let i = 0; i < labels.length; i++) {
    if (i % LABELS_PER_PAGE === 0) doc.addPage({ size: 'A4', margin: 0 });
    await label(doc, labels[i]!, labelBox(i));
  }
  doc.end();
  await done;
}

function firstPage(doc: PDFKit.PDFDocument, sheet: TrainingSheet): void {
  const casePages = Math.ceil(sheet.cases.reduce((n, c) => n + c.envelopes.length, 0) / LABELS_PER_PAGE);
  const everydayPages = Math.ceil(sheet.everyday.length / LABELS_PER_PAGE);
  doc.font('Helvetica-Bold').fontSize(16).text(sheet.title);
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  for (const line of sheet.about) doc.text(line);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(11).text('Printing');
  doc.font('Helvetica').fontSize(10);
  doc.text(
    `Print this page on plain paper. Print pages 2 to ${1 + casePages + everydayPages} on A4 label sheets of ${LABELS_PER_PAGE} labels ` +
      `(${LABEL_LAYOUT.columns} across, ${LABEL_LAYOUT.rows} down, ${LABEL_LAYOUT.widthMm} × ${LABEL_LAYOUT.heightMm} mm) at actual size (100 %, not "fit to page"), and stick each label on an envelope.`,
  );
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(11).text('Scanning');
  doc.font('Helvetica').fontSize(10);
  doc.text('Enrol the desk with the demo\'s enrolment code (a register file alone does not say who voted online), open a tray and scan. ' +
    'Each label says what the desk should say the first time it is scanned, and what to do with the envelope then. ' +
    'Scanned again within 10 seconds an envelope is "Already recorded" (nothing new is stored); later it is "Flagged: envelope already received".');
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(11).text(`Page 2: one row of labels for each verdict`);
  doc.font('Helvetica').fontSize(10);
  sheet.cases.forEach((c, row) => {
    const e = c.envelopes[0]!.expected;
    doc.text(`Row ${row + 1}. ${c.name}: should say "${verdictWords(e)}", then ${whatToDo(e)}.`);
  });
  if (everydayPages > 0) {
    doc.moveDown();
    doc.font('Helvetica-Bold').fontSize(11).text(`Pages ${2 + casePages} to ${1 + casePages + everydayPages}: everyday envelopes`);
    doc.font('Helvetica').fontSize(10).text(`${sheet.everyday.length} envelopes of the register's first members, as they come (most are recorded; some are flagged, as their labels say).`);
  }
}

async function label(doc: PDFKit.PDFDocument, e: TrainingEnvelope, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  const x = box.x + PAD;
  const width = box.width - 2 * PAD;
  let y = box.y + PAD + 2;
  /** One line of words, or two where they need it (never more: the label has no room). */
  const line = (font: string, size: number, text: string, maxLines = 1) => {
    doc.font(font).fontSize(size);
    const height = Math.min(doc.heightOfString(text, { width, align: 'center' }), maxLines * doc.currentLineHeight(true));
    doc.text(text, x, y, { width, height, align: 'center', lineBreak: maxLines > 1, ellipsis: true });
    y += height + 2;
  };
  line('Helvetica-Bold', 7, e.caseName);
  const png = await bwipjs.toBuffer({ bcid: 'code128', text: e.barcode, scale: 2, height: 10, includetext: false, paddingwidth: 6 });
  doc.image(png, x, y, { fit: [width, 38], align: 'center' });
  y += 40;
  line('Courier-Bold', 9, formatBarcode(e.barcode));
  line('Helvetica-Bold', 7, `Should say: ${verdictWords(e.expected)}`, 2);
  line('Helvetica', 6.5, `Then: ${whatToDo(e.expected)}`, 2);
}
