// The end-of-day statement for the returning officer: centre, election, period, envelopes
// received (physical envelopes: a re-scan of one envelope in its tray is not a second one) and
// the reads that were repeats, receipts accepted / flagged by kind, decisions by kind, trays
// with their counts place by place (the tray itself and its pockets) and discrepancies, and the
// audit chain head with the time the server last witnessed it; a PDF with a signature block,
// and a CSV with the same figures. Until every tray is closed and every flag decided it is
// PROVISIONAL, and says why. Times are local, with the zone named. These are this workstation's
// figures; the whole centre's, as the central server holds them, follow in their own section
// (statement-centre.ts), or words saying why they could not be included.
//
// One million receipts must not stall the event loop for more than 50 ms: the figures are
// gathered in short keyset chunks over the receipts (a generator that yields between
// chunks, so the caller gives the loop a turn), and the PDF is written as a stream, tray
// lines a page at a time.
// Over 300 lines because the figures, the PDF and the CSV are one statement whose lines must
// agree; the PDF's drawing helpers (statement-pdf.ts) and the centre's section are apart.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import { DECISIONS, FLAG_KINDS, FLAG_LABELS, DECISION_LABELS, SCAN_SOURCES, type Decision, type FlagKind, type ScanSource } from '../../../../shared/domain';
import type { Db } from '../db/open';
import { currentDecisionOf } from '../ledger/current-decision';
import { TrayPlaces } from '../ledger/places';
import { closingCheck, placeCounts, type PlaceCount } from '../ledger/tray-counts';
import { POCKETS, type Place } from '../../../../shared/places';
import { localHourMinute, localWhen, statementZone } from './local-time';
import { csvLine } from '../exports/csv';
import { figureLine, STATEMENT_CSV_HEADER } from './statement-csv';
import type { ExportPages } from '../exports/write';
import { centreCsvLines, centreScope, drawCentreSection, type CentreFigures } from './statement-centre';
import { keepTogether, tableRow, type PdfPage } from './statement-pdf';

export interface TrayFigures {
  label: string;
  openedAt: string;
  closedAt: string | null;
  expected: number | null;
  /** receipts recorded in the tray */
  scanned: number;
  /** physical envelopes: each once, however often it was re-scanned */
  envelopes: number;
  flagged: number;
  /** everything counted at close (the tray itself and its pockets) */
  physical: number | null;
  /** physical - envelopes once closed */
  discrepancy: number | null;
  /** the tray itself and each pocket: by the scans, and counted */
  places: PlaceCount[];
  discrepancyWords: string | null;
}

export interface StatementFigures {
  generatedAt: string;
  centre: string;
  electionNumber: number | null;
  electionName: string | null;
  workstationName: string;
  periodFrom: string | null;
  periodTo: string | null;
  /** physical envelopes received: receipts less re-scans of an envelope already in its tray */
  received: number;
  /** receipts recorded (a re-scan after the repeat window is a receipt of its own) */
  receipts: number;
  /** receipts of an envelope already recorded in the same tray (each flagged as a duplicate scan) */
  rescans: number;
  /** receipts without a flag */
  accepted: number;
  flagged: number;
  flaggedByKind: Record<FlagKind, number>;
  /** the latest decision of each flag; `open` = no decision yet */
  decisionsByKind: Record<Decision | 'open', number>;
  /** accepted + flagged envelopes decided `count` */
  toTheCount: number;
  bySource: Record<ScanSource, number>;
  rejectedReads: number;
  repeatReads: number;
  trays: TrayFigures[];
  discrepancies: number;
  auditHead: { seq: number; hash: string };
  lastWitnessed: { at: string; seq: number } | null;
  /** why the statement is not final yet: trays still open, flags not decided (open or escalated); null when final */
  provisional: { openTrays: string[]; undecidedFlags: number } | null;
}

/** Rows per chunk: a chunk is one short indexed query (about 10–20 ms on this hardware). */
const CHUNK = 5_000;

interface ChunkRow {
  batch_id: string;
  source: ScanSource;
  kind: FlagKind | null;
  latest: Decision | null;
  n: number;
  first: string;
  last: string;
}

/**
 * Gathers the figures; yields between chunks so the caller can let the event loop run.
 * Keyset chunks on the receipts' seq: receipts recorded meanwhile can only extend the
 * statement, never tear it (the upper bound is fixed at the start).
 */
export function* gatherStatement(db: Db, now: Date): Generator<void, StatementFigures> {
  const ws = (db.prepare('SELECT workstation_name, election_number, election_name, centre_name FROM workstation WHERE id = 1').get() as
    | { workstation_name: string; election_number: number | null; election_name: string | null; centre_name: string | null }
    | undefined) ?? { workstation_name: 'Workstation', election_number: null, election_name: null, centre_name: null };
  const maxSeq = (db.prepare('SELECT COALESCE(max(seq), 0) AS s FROM receipts').get() as { s: number }).s;
  const chunk = db.prepare<[number, number], ChunkRow>(`
    SELECT r.batch_id, r.source, f.kind,
           ${currentDecisionOf('f')} AS latest,
           count(*) AS n, min(r.scanned_at) AS first, max(r.scanned_at) AS last
      FROM receipts r LEFT JOIN flags f ON f.receipt_id = r.id
     WHERE r.seq > ? AND r.seq <= ?
     GROUP BY r.batch_id, r.source, f.kind, latest`);

  const flaggedByKind = Object.fromEntries(FLAG_KINDS.map((k) => [k, 0])) as Record<FlagKind, number>;
  const decisionsByKind = Object.fromEntries([...DECISIONS, 'open'].map((d) => [d, 0])) as Record<Decision | 'open', number>;
  const bySource = Object.fromEntries(SCAN_SOURCES.map((s) => [s, 0])) as Record<ScanSource, number>;
  const perBatch = new Map<string, { scanned: number; flagged: number }>();
  let received = 0;
  let accepted = 0;
  let counted = 0;
  let periodFrom: string | null = null;
  let periodTo: string | null = null;

  // The chunk size follows the machine: aim at ~10 ms per query, whatever the load.
  let size = CHUNK;
  for (let lo = 0; lo < maxSeq; ) {
    const started = performance.now();
    const rows = chunk.all(lo, Math.min(maxSeq, lo + size));
    const took = performance.now() - started;
    const next = Math.round(size * Math.min(2, Math.max(0.25, 10 / Math.max(took, 0.5))));
    for (const r of rows) {
      received += r.n;
      bySource[r.source] += r.n;
      const b = perBatch.get(r.batch_id) ?? { scanned: 0, flagged: 0 };
      b.scanned += r.n;
      if (r.kind) {
        b.flagged += r.n;
        flaggedByKind[r.kind] += r.n;
        decisionsByKind[r.latest ?? 'open'] += r.n;
        if (r.latest === 'count') counted += r.n;
      } else {
        accepted += r.n;
        counted += r.n;
      }
      perBatch.set(r.batch_id, b);
      if (periodFrom === null || r.first < periodFrom) periodFrom = r.first;
      if (periodTo === null || r.last > periodTo) periodTo = r.last;
    }
    lo += size;
    size = Math.max(1_000, Math.min(20_000, next));
    yield;
  }

  const batches = db
    .prepare('SELECT id, label, opened_at, closed_at, expected_count, physical_count FROM batches ORDER BY opened_at, label')
    .all() as Array<{ id: string; label: string; opened_at: string; closed_at: string | null; expected_count: number | null; physical_count: number | null }>;
  const places = new TrayPlaces(db);
  const countedStmt = db.prepare<[string], { place: Place; physical_count: number }>('SELECT place, physical_count FROM batch_place_counts WHERE batch_id = ?');
  const trays: TrayFigures[] = [];
  let turn = performance.now();
  for (const b of batches) {
    const c = perBatch.get(b.id) ?? { scanned: 0, flagged: 0 };
    const expected = places.counts(b.id);
    const rows = countedStmt.all(b.id);
    const tray = placeCounts(expected, rows.length > 0 ? Object.fromEntries(rows.map((r) => [r.place, r.physical_count])) : null);
    const envelopes = tray.reduce((s, p) => s + p.expected, 0);
    const check = closingCheck({ physicalCount: b.physical_count, receipts: c.scanned, envelopes, places: tray });
    trays.push({
      label: b.label,
      openedAt: b.opened_at,
      closedAt: b.closed_at,
      expected: b.expected_count,
      scanned: c.scanned,
      envelopes,
      flagged: c.flagged,
      physical: b.physical_count,
      discrepancy: check.discrepancy,
      places: tray,
      discrepancyWords: check.words,
    });
    if (performance.now() - turn > 10) {
      yield;
      turn = performance.now();
    }
  }
  yield;

  // Re-scans of an envelope already in its tray (read again after the repeat window): the
  // receipts that moved their envelope (ledger/places.ts), found by their own small index.
  const rescans = (
    db
      // CROSS JOIN: the few moved rows drive, never a walk over every receipt by seq
      .prepare('SELECT count(*) AS n FROM receipt_places p CROSS JOIN receipts r ON r.id = p.receipt_id WHERE p.moved_from IS NOT NULL AND r.seq <= ?')
      .get(maxSeq) as { n: number }
  ).n;
  const auditCount = db.prepare('SELECT count(*) AS n FROM audit WHERE event = ?');
  const rejectedReads = (auditCount.get('scan.rejected') as { n: number }).n;
  const repeatReads = (auditCount.get('scan.repeat') as { n: number }).n;
  const head = (db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? {
    seq: 0,
    hash: '',
  };
  const witnessed = db
    .prepare(`SELECT payload, sent_at FROM outbox WHERE kind = 'audit_head' AND sent_at IS NOT NULL ORDER BY seq DESC LIMIT 1`)
    .get() as { payload: string; sent_at: string } | undefined;

  return {
    generatedAt: now.toISOString(),
    centre: ws.centre_name ?? `${ws.workstation_name} (offline, not enrolled)`,
    electionNumber: ws.election_number,
    electionName: ws.election_name,
    workstationName: ws.workstation_name,
    periodFrom,
    periodTo,
    received: received - rescans,
    receipts: received,
    rescans,
    accepted,
    flagged: received - accepted,
    flaggedByKind,
    decisionsByKind,
    toTheCount: counted,
    bySource,
    rejectedReads,
    repeatReads,
    trays,
    discrepancies: trays.filter((t) => t.discrepancyWords !== null).length,
    auditHead: head,
    lastWitnessed: witnessed ? { at: witnessed.sent_at, seq: (JSON.parse(witnessed.payload) as { seq: number }).seq } : null,
    provisional: provisionalWhy(trays, decisionsByKind.open + decisionsByKind.escalate),
  };
}

/** Why the statement is not final yet, or null when every tray is closed and every flag decided. */
function provisionalWhy(trays: readonly TrayFigures[], undecidedFlags: number): StatementFigures['provisional'] {
  const openTrays = trays.filter((t) => t.closedAt === null).map((t) => t.label);
  return openTrays.length > 0 || undecidedFlags > 0 ? { openTrays, undecidedFlags } : null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The reason in words: "PROVISIONAL: 1 tray still open (T-3); 2 flags not decided yet." */
export function provisionalWords(p: NonNullable<StatementFigures['provisional']>): string {
  const why: string[] = [];
  if (p.openTrays.length > 0) why.push(`${plural(p.openTrays.length, 'tray', 'trays')} still open (${p.openTrays.join(', ')})`);
  if (p.undecidedFlags > 0) why.push(`${plural(p.undecidedFlags, 'flag', 'flags')} not decided yet`);
  return `PROVISIONAL: ${why.join('; ')}. The statement is final once every tray is closed and every flag decided.`;
}

/** Runs the gathering with a turn of the event loop between chunks. */
export async function statementFigures(db: Db, now: Date): Promise<StatementFigures> {
  const it = gatherStatement(db, now);
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
    await new Promise((r) => setImmediate(r));
  }
}

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
      doc.font('Helvetica-Bold').fontSize(10.5).text('PROVISIONAL - not the final statement (see page 1)', 50, 30, { lineBreak: false });
      doc.font('Helvetica').fontSize(10.5);
      doc.x = x;
      doc.y = y;
    });
  }

  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text, 50).font('Helvetica').fontSize(10.5).moveDown(0.2);
  };
  const pair = (label: string, value: string | number) => {
    doc.text(`${label}: ${value}`, 50);
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
  doc.text('Envelopes in the tray itself and in each pocket, by the scans; a count at close that differs is shown beside it.', 50);
  lines++;
  doc.moveDown(0.3).fontSize(9);
  const cols = [50, 150, 195, 245, 285, 335, 390, 425, 485];
  const row = (cells: string[], bold = false) => {
    tableRow(doc, cols, cells, bold);
    lines++;
  };
  let turnStarted = performance.now();
  row(['Tray', 'Expected', 'Envelopes', 'Flagged', 'In the tray', ...POCKETS, 'Discrepancy', 'Closed'], true);
  for (let i = 0; i < f.trays.length; i++) {
    const t = f.trays[i]!;
    const at = (place: Place) => placeCell(t.places.find((p) => p.place === place));
    row([
      t.label,
      t.expected === null ? '-' : String(t.expected),
      String(t.envelopes),
      String(t.flagged),
      at('tray'),
      ...POCKETS.map(at),
      t.discrepancy === null ? 'open' : t.discrepancyWords === null ? 'none' : `${t.discrepancy > 0 ? '+' : ''}${t.discrepancy}`,
      t.closedAt ? localHourMinute(t.closedAt, zone) : 'open',
    ]);
    if (t.discrepancyWords) {
      doc.text(`${t.label}: ${t.discrepancyWords}`, 60, doc.y, { width: 485 });
      doc.moveDown(0.3);
      lines++;
    }
    // A turn of the event loop every few milliseconds of drawing.
    if (performance.now() - turnStarted > TURN_MS) {
      await new Promise((r) => setImmediate(r));
      turnStarted = performance.now();
    }
  }
  doc.fontSize(10.5);

  doc.x = 50;
  // the heading with its three lines, never the heading alone at the foot of a page
  keepTogether(doc as unknown as PdfPage, 90);
  heading('Audit chain');
  pair('Head entry', f.auditHead.seq);
  pair('Head hash', f.auditHead.hash);
  pair(
    'Last witnessed by the central server',
    f.lastWitnessed ? `${when(f.lastWitnessed.at)} (entry ${f.lastWitnessed.seq})` : 'never (not synchronised with a server)',
  );

  lines += drawCentreSection(doc as unknown as PdfPage, centre);

  // The signature block stays together on one page: each signer's name, signature and date
  // on lines of their own, never "Date:" alone at the top of a page.
  const signer = (role: string) => {
    doc.font('Helvetica-Bold').text(role, 50).font('Helvetica').moveDown(0.6);
    const y = doc.y;
    doc.text('Name: ______________________________', 50, y, { lineBreak: false });
    doc.text('', 50, y + 26);
    const y2 = doc.y;
    doc.text('Signature: ________________________', 50, y2, { lineBreak: false });
    doc.text('Date: ______________', 330, y2, { lineBreak: false });
    doc.text('', 50, y2 + 30);
  };
  doc.moveDown(2);
  keepTogether(doc as unknown as PdfPage, 190);
  if (f.provisional) {
    doc.font('Helvetica-Bold').text('PROVISIONAL statement: why is said on page 1.', 50).font('Helvetica').moveDown(0.8);
  }
  signer('Returning officer');
  signer('Supervisor');
  doc.end();
  await ended;
  out.end();
  await once(out, 'finish');
  return { bytes, sha256: hash.digest('hex'), lines };
}
