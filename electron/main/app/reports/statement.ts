// The end-of-day statement for the returning officer: centre, election, period, receipts
// received / accepted / flagged by kind, decisions by kind, trays with their counts and
// discrepancies, and the audit chain head with the time the server last witnessed it; a
// PDF with a signature line, and a CSV with the same figures. These are this workstation's
// figures; the whole centre's, as the central server holds them, follow in their own section
// (statement-centre.ts), or words saying why they could not be included.
//
// One million receipts must not stall the event loop for more than 50 ms: the figures are
// gathered in short keyset chunks over the receipts (a generator that yields between
// chunks, so the caller gives the loop a turn), and the PDF is written as a stream, tray
// lines a page at a time.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import PDFDocument from 'pdfkit';
import { DECISIONS, FLAG_KINDS, FLAG_LABELS, DECISION_LABELS, SCAN_SOURCES, type Decision, type FlagKind, type ScanSource } from '../../../../shared/domain';
import type { Db } from '../db/open';
import { currentDecisionOf } from '../ledger/current-decision';
import { csvLine } from '../exports/csv';
import { figureLine, STATEMENT_CSV_HEADER } from './statement-csv';
import type { ExportPages } from '../exports/write';
import { centreCsvLines, centreScope, drawCentreSection, type CentreFigures } from './statement-centre';
import { tableRow, type PdfPage } from './statement-pdf';

export interface TrayFigures {
  label: string;
  openedAt: string;
  closedAt: string | null;
  expected: number | null;
  scanned: number;
  flagged: number;
  physical: number | null;
  /** physical - scanned once closed */
  discrepancy: number | null;
}

export interface StatementFigures {
  generatedAt: string;
  centre: string;
  electionNumber: number | null;
  electionName: string | null;
  workstationName: string;
  periodFrom: string | null;
  periodTo: string | null;
  received: number;
  /** received without a flag */
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
  const trays: TrayFigures[] = batches.map((b) => {
    const c = perBatch.get(b.id) ?? { scanned: 0, flagged: 0 };
    return {
      label: b.label,
      openedAt: b.opened_at,
      closedAt: b.closed_at,
      expected: b.expected_count,
      scanned: c.scanned,
      flagged: c.flagged,
      physical: b.physical_count,
      discrepancy: b.physical_count === null ? null : b.physical_count - c.scanned,
    };
  });
  yield;

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
    received,
    accepted,
    flagged: received - accepted,
    flaggedByKind,
    decisionsByKind,
    toTheCount: counted,
    bySource,
    rejectedReads,
    repeatReads,
    trays,
    discrepancies: trays.filter((t) => t.discrepancy).length,
    auditHead: head,
    lastWitnessed: witnessed ? { at: witnessed.sent_at, seq: (JSON.parse(witnessed.payload) as { seq: number }).seq } : null,
  };
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
    line('totals', 'received', f.received),
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

const when = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '-');

/**
 * Writes the statement PDF to `path` as a stream and hashes what it writes. Same result
 * shape as exports/write.ts writeExportFile, so the exports mechanism records it the same way.
 */
export async function writeStatementPdf(db: Db, path: string, now: Date, centre: CentreFigures): Promise<{ bytes: number; sha256: string; lines: number }> {
  const f = await statementFigures(db, now);
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  let bytes = 0;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: 'End-of-day statement', Author: 'Ballot Intake' } });
  doc.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
    if (!out.write(chunk)) doc.pause();
  });
  out.on('drain', () => doc.resume());
  const ended = once(doc, 'end');
  let lines = 0;

  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).font('Helvetica').fontSize(10.5).moveDown(0.2);
  };
  const pair = (label: string, value: string | number) => {
    doc.text(`${label}: ${value}`);
    lines++;
  };

  doc.font('Helvetica-Bold').fontSize(18).text('Postal ballots received - end-of-day statement');
  doc.font('Helvetica').fontSize(10.5).moveDown(0.5);
  pair('Centre', f.centre);
  pair('Election', `${f.electionNumber ?? '-'} ${f.electionName ?? ''}`.trim());
  pair('Workstation', f.workstationName);
  pair('Period', `${when(f.periodFrom)} to ${when(f.periodTo)}`);
  pair('Statement made', when(f.generatedAt));
  pair('Covers', centreScope(centre));

  heading(`This workstation: ${f.workstationName}`);
  doc.text('Every figure from here to the audit chain is this workstation\'s own.');
  lines++;
  heading('Totals');
  pair('Envelopes received', f.received);
  pair('Accepted', f.accepted);
  pair('Flagged', f.flagged);
  pair('Going to the count (accepted, and flagged decided count)', f.toTheCount);
  pair('Rejected reads (not recorded)', f.rejectedReads);
  pair('Repeat reads (not recorded again)', f.repeatReads);
  pair('Received by scanner / camera / manual entry', `${f.bySource.scanner} / ${f.bySource.camera} / ${f.bySource.manual}`);

  heading('Flagged by kind');
  for (const k of FLAG_KINDS) pair(FLAG_LABELS[k], f.flaggedByKind[k]);

  heading('Decisions by kind (latest decision of each flag)');
  for (const d of DECISIONS) pair(DECISION_LABELS[d], f.decisionsByKind[d]);
  pair('Not decided yet (open)', f.decisionsByKind.open);

  heading(`Trays: ${f.trays.length}, with a discrepancy: ${f.discrepancies}`);
  const cols = [50, 150, 215, 280, 340, 405, 480];
  const row = (cells: string[], bold = false) => {
    tableRow(doc, cols, cells, bold);
    lines++;
  };
  let turnStarted = performance.now();
  row(['Tray', 'Expected', 'Scanned', 'Flagged', 'Physical', 'Discrepancy', 'Closed'], true);
  for (let i = 0; i < f.trays.length; i++) {
    const t = f.trays[i]!;
    row([
      t.label,
      t.expected === null ? '-' : String(t.expected),
      String(t.scanned),
      String(t.flagged),
      t.physical === null ? '-' : String(t.physical),
      t.discrepancy === null ? 'open' : t.discrepancy === 0 ? 'none' : `${t.discrepancy > 0 ? '+' : ''}${t.discrepancy}`,
      t.closedAt ? t.closedAt.slice(11, 16) : 'open',
    ]);
    // A turn of the event loop every few milliseconds of drawing.
    if (performance.now() - turnStarted > TURN_MS) {
      await new Promise((r) => setImmediate(r));
      turnStarted = performance.now();
    }
  }

  doc.x = 50;
  heading('Audit chain');
  pair('Head entry', f.auditHead.seq);
  pair('Head hash', f.auditHead.hash);
  pair(
    'Last witnessed by the central server',
    f.lastWitnessed ? `${when(f.lastWitnessed.at)} (entry ${f.lastWitnessed.seq})` : 'never (not synchronised with a server)',
  );

  lines += drawCentreSection(doc as unknown as PdfPage, centre);

  if (doc.y > doc.page.height - 160) doc.addPage();
  doc.moveDown(3);
  doc.text('Returning officer: ______________________________    Signature: ______________________    Date: ____________', 50);
  doc.moveDown(2);
  doc.text('Supervisor: ______________________________    Signature: ______________________    Date: ____________', 50);
  doc.end();
  await ended;
  out.end();
  await once(out, 'finish');
  return { bytes, sha256: hash.digest('hex'), lines };
}
