// The end-of-day statement for the returning officer, written from its figures
// (statement-figures.ts): a PDF with a signature block, and a CSV with the same figures, side by
// side here so their lines agree. These are this workstation's figures; the whole centre's, as
// the central server holds them, follow in their own section (statement-centre.ts), or words
// saying why they could not be included. Times are local, with the zone named (local-time.ts).
//
// The PDF is written as a stream, with a turn of the event loop every few milliseconds of
// drawing; its tables are PDFKit's own (statement-pdf.ts), which wrap a long label inside its
// column and move a row that does not fit whole to the next page.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import { DECISIONS, FLAG_KINDS, FLAG_LABELS, DECISION_LABELS, SCAN_SOURCES } from '../../../../shared/domain';
import type { Db } from '../db/open';
import type { PlaceCount } from '../ledger/tray-counts';
import { POCKETS, type Place } from '../../../../shared/places';
import { localHourMinute, localWhen, statementZone } from './local-time';
import { csvLine } from '../exports/csv';
import { figureLine, STATEMENT_CSV_HEADER } from './statement-csv';
import type { ExportPages } from '../exports/write';
import { centreCsvLines, centreScope, drawCentreSection, type CentreFigures } from './statement-centre';
import { gatherStatement, provisionalWords, statementFigures, type StatementFigures } from './statement-figures';
import { keepTogether, LEFT, statementTable } from './statement-pdf';

export { gatherStatement, provisionalWords, statementFigures, type StatementFigures, type TrayFigures } from './statement-figures';

// ---- CSV ----------------------------------------------------------------------------------

/** The statement's figures as CSV lines: one `section,item,value` line per figure, one line per tray. */
export function statementCsvLines(f: StatementFigures): string[] {
  const line = figureLine;
  const lines = [csvLine(STATEMENT_CSV_HEADER)];
  lines.push(
    line('statement', 'centre', f.centre),
    line('statement', 'election_number', f.electionNumber),
    line('statement', 'election_name', f.electionName),
    line('statement', 'workstation', f.workstationName),
    line('statement', 'period_from', f.periodFrom),
    line('statement', 'period_to', f.periodTo),
    line('statement', 'generated_at', f.generatedAt),
    line('statement', 'status', f.provisional ? 'provisional' : 'final'),
    ...(f.provisional
      ? [line('statement', 'open_trays', f.provisional.openTrays.length), line('statement', 'undecided_flags', f.provisional.undecidedFlags)]
      : []),
    line('totals', 'received', f.received),
    line('totals', 'receipts', f.receipts),
    line('totals', 'rescans', f.rescans),
    line('totals', 'accepted', f.accepted),
    line('totals', 'flagged', f.flagged),
    line('totals', 'to_the_count', f.toTheCount),
    line('totals', 'rejected_reads', f.rejectedReads),
    line('totals', 'repeat_reads', f.repeatReads),
  );
  for (const k of FLAG_KINDS) lines.push(line('flagged_by_kind', k, f.flaggedByKind[k]));
  for (const d of [...DECISIONS, 'open'] as const) lines.push(line('decisions_by_kind', d, f.decisionsByKind[d]));
  for (const s of SCAN_SOURCES) lines.push(line('received_by_source', s, f.bySource[s]));
  lines.push(line('trays', 'count', f.trays.length), line('trays', 'with_discrepancy', f.discrepancies));
  for (const t of f.trays) {
    lines.push(
      csvLine(['tray', t.label, null, t.expected, t.scanned, t.flagged, t.physical, t.discrepancy, t.openedAt, t.closedAt]),
    );
    // the tray itself and each pocket: envelopes there by the scans, and counted at close
    for (const p of t.places) lines.push(csvLine(['tray_place', t.label, p.place, null, p.expected, null, p.counted, null, null, null]));
  }
  lines.push(
    line('audit', 'head_seq', f.auditHead.seq),
    line('audit', 'head_hash', f.auditHead.hash),
    line('audit', 'last_witnessed_at', f.lastWitnessed?.at ?? null),
    line('audit', 'last_witnessed_seq', f.lastWitnessed?.seq ?? null),
  );
  return lines;
}

/**
 * For the exports mechanism (exports/exports.ts WRITERS): empty pages while gathering, then
 * this workstation's lines, then the centre's (after, so every desk line stays as it was).
 */
export function* statementCsvPages(db: Db, now: Date, centre: CentreFigures): ExportPages {
  const it = gatherStatement(db, now);
  for (;;) {
    const step = it.next();
    if (step.done) {
      yield [...statementCsvLines(step.value), ...centreCsvLines(centre)];
      return;
    }
    yield [];
  }
}

// ---- PDF ----------------------------------------------------------------------------------

const TURN_MS = 8;

/** A place's cell in the trays table: the scans' number, and what was counted when it differs. */
function placeCell(p: PlaceCount | undefined): string {
  if (!p) return '-';
  if (p.counted === null || p.counted === p.expected) return String(p.expected);
  return `${p.expected} (${p.counted} counted)`;
}

/**
 * Writes the statement PDF to `path` as a stream and hashes what it writes. Same result
 * shape as exports/write.ts writeExportFile, so the exports mechanism records it the same way.
 */
export async function writeStatementPdf(
  db: Db,
  path: string,
  now: Date,
  centre: CentreFigures,
  options: { timeZone?: string } = {},
): Promise<{ bytes: number; sha256: string; lines: number }> {
  const f = await statementFigures(db, now);
  const zone = statementZone(options.timeZone);
  const when = (iso: string | null): string => localWhen(iso, zone);
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let bytes = 0;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: f.provisional ? 'End-of-day statement (PROVISIONAL)' : 'End-of-day statement', Author: 'Ballot Intake' } });
  doc.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
    if (!out.write(chunk)) doc.pause();
  });
  out.on('drain', () => doc.resume());
  const ended = once(doc, 'end');
  let lines = 0;
  // A provisional statement says so at the top of every page, so no page of it passes for final.
  if (f.provisional) {
    doc.on('pageAdded', () => {
      const { x, y } = doc;
      doc.font('Helvetica-Bold').fontSize(10.5).text('PROVISIONAL - not the final statement (see page 1)', LEFT, 30, { lineBreak: false });
      doc.font('Helvetica').fontSize(10.5);
      doc.x = x;
      doc.y = y;
    });
  }

  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text, LEFT).font('Helvetica').fontSize(10.5).moveDown(0.2);
  };
  const pair = (label: string, value: string | number) => {
    doc.text(`${label}: ${value}`, LEFT);
    lines++;
  };

  doc.font('Helvetica-Bold').fontSize(18).text('Postal ballots received - end-of-day statement');
  if (f.provisional) {
    doc.moveDown(0.3).fillColor('#b00020').fontSize(16).text('PROVISIONAL').fontSize(10.5).text(provisionalWords(f.provisional)).fillColor('black');
    lines += 2;
  }
  doc.font('Helvetica').fontSize(10.5).moveDown(0.5);
  pair('Centre', f.centre);
  pair('Election', `${f.electionNumber ?? '-'} ${f.electionName ?? ''}`.trim());
  pair('Workstation', f.workstationName);
  pair('Period', `${when(f.periodFrom)} to ${when(f.periodTo)}`);
  pair('Statement made', when(f.generatedAt));
  pair('Times', `local time of this workstation, time zone ${zone}`);
  pair('Covers', centreScope(centre));

  heading(`This workstation: ${f.workstationName}`);
  doc.text('Every figure from here to the audit chain is this workstation\'s own.');
  lines++;
  heading('Totals');
  pair('Envelopes received', f.received);
  pair('Repeat reads of an envelope already received (each envelope counted once)', f.repeatReads + f.rescans);
  pair('    within the repeat window, not recorded again', f.repeatReads);
  pair('    re-scanned after it, recorded as duplicate scans', f.rescans);
  pair('Receipts recorded (envelopes received and their re-scans)', f.receipts);
  pair('Accepted', f.accepted);
  pair('Flagged', f.flagged);
  pair('Going to the count (accepted, and flagged decided count)', f.toTheCount);
  pair('Rejected reads (not recorded)', f.rejectedReads);
  pair('Received by scanner / camera / manual entry', `${f.bySource.scanner} / ${f.bySource.camera} / ${f.bySource.manual}`);

  heading('Flagged by kind');
  for (const k of FLAG_KINDS) pair(FLAG_LABELS[k], f.flaggedByKind[k]);

  heading('Decisions by kind (latest decision of each flag)');
  for (const d of DECISIONS) pair(DECISION_LABELS[d], f.decisionsByKind[d]);
  pair('Not decided yet (open)', f.decisionsByKind.open);

  heading(`Trays: ${f.trays.length}, with a discrepancy: ${f.discrepancies}`);
  doc.text('Envelopes in the tray itself and in each pocket, by the scans; a count at close that differs is shown beside it.', LEFT);
  lines++;
  doc.moveDown(0.3);
  // The tray's label gets the widest column and wraps in it; the counts and times are short.
  const trays = statementTable(doc, [100, 45, 50, 40, 50, 55, 35, 60, 60], 9);
  trays.row(['Tray', 'Expected', 'Envelopes', 'Flagged', 'In the tray', ...POCKETS, 'Discrepancy', 'Closed'], true);
  lines++;
  let turnStarted = performance.now();
  for (const t of f.trays) {
    const at = (place: Place) => placeCell(t.places.find((p) => p.place === place));
    trays.row([
      t.label,
      t.expected === null ? '-' : String(t.expected),
      String(t.envelopes),
      String(t.flagged),
      at('tray'),
      ...POCKETS.map(at),
      t.discrepancy === null ? 'open' : t.discrepancyWords === null ? 'none' : `${t.discrepancy > 0 ? '+' : ''}${t.discrepancy}`,
      t.closedAt ? localHourMinute(t.closedAt, zone) : 'open',
    ]);
    lines++;
    if (t.discrepancyWords) {
      trays.note(`${t.label}: ${t.discrepancyWords}`);
      lines++;
    }
    // A turn of the event loop every few milliseconds of drawing.
    if (performance.now() - turnStarted > TURN_MS) {
      await new Promise((r) => setImmediate(r));
      turnStarted = performance.now();
    }
  }
  trays.end();

  // the heading with its three lines, never the heading alone at the foot of a page
  keepTogether(doc, 90);
  heading('Audit chain');
  pair('Head entry', f.auditHead.seq);
  pair('Head hash', f.auditHead.hash);
  pair(
    'Last witnessed by the central server',
    f.lastWitnessed ? `${when(f.lastWitnessed.at)} (entry ${f.lastWitnessed.seq})` : 'never (not synchronised with a server)',
  );

  lines += drawCentreSection(doc, centre);

  // The signature block stays together on one page: each signer's name, signature and date
  // on lines of their own, never "Date:" alone at the top of a page.
  const signer = (role: string) => {
    doc.font('Helvetica-Bold').text(role, LEFT).font('Helvetica').moveDown(0.6);
    const y = doc.y;
    doc.text('Name: ______________________________', LEFT, y, { lineBreak: false });
    doc.text('', LEFT, y + 26);
    const y2 = doc.y;
    doc.text('Signature: ________________________', LEFT, y2, { lineBreak: false });
    doc.text('Date: ______________', 330, y2, { lineBreak: false });
    doc.text('', LEFT, y2 + 30);
  };
  doc.moveDown(2);
  keepTogether(doc, 190);
  if (f.provisional) {
    doc.font('Helvetica-Bold').text('PROVISIONAL statement: why is said on page 1.', LEFT).font('Helvetica').moveDown(0.8);
  }
  signer('Returning officer');
  signer('Supervisor');
  doc.end();
  await ended;
  out.end();
  await once(out, 'finish');
  return { bytes, sha256: hash.digest('hex'), lines };
}
