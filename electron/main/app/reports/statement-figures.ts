// The end-of-day statement's figures for the returning officer: centre, election, period,
// envelopes received (physical envelopes: a re-scan of one envelope in its tray is not a second
// one) and the reads that were repeats, receipts accepted / flagged by kind, decisions by kind,
// trays with their counts place by place (the tray itself and its pockets) and discrepancies,
// and the audit chain head with the time the server last witnessed it. Until every tray is
// closed and every flag decided the statement is PROVISIONAL, and says why. The PDF and the
// CSV (statement.ts) are written from these figures, so their lines agree.
//
// One million receipts must not stall the event loop for more than 50 ms: the figures are
// gathered in short keyset chunks over the receipts (a generator that yields between
// chunks, so the caller gives the loop a turn).
import { DECISIONS, FLAG_KINDS, SCAN_SOURCES, type Decision, type FlagKind, type ScanSource } from '../../../../shared/domain';
import type { Db } from '../db/open';
import { currentDecisionOf } from '../ledger/current-decision';
import { TrayPlaces } from '../ledger/places';
import { closingCheck, placeCounts, type PlaceCount } from '../ledger/tray-counts';
import type { Place } from '../../../../shared/places';

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
