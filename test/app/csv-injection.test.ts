// Issue 15, item 5: no CSV the desk writes can carry a formula. Every text cell that starts with
// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, whatever its source (typed
// at the desk, in the register, from the central server, or planted in the database file).
//
// One test per export and column. For each column the test either plants a hostile value where
// the column's data comes from and expects it guarded, or (for the few columns the database
// itself holds to the app's own codes, by a CHECK constraint) proves the database refuses a
// hostile value there. A column added to an export without a line here fails the header test.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatBarcode, encodeBarcode } from '../../shared/barcode/barcode';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { runMigrations } from '../../electron/main/app/db/migrations';
import { csvField, csvLine } from '../../electron/main/app/exports/csv';
import { statementCsvPages } from '../../electron/main/app/reports/statement';
import type { CentreFigures } from '../../electron/main/app/reports/statement-centre';
import { dayAtTheCentre, ELECTION, HEADER, registerRow, signInAs, startApp, SUPERVISOR_PIN, type TestApp } from './helpers';

const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;
let nth = 0;
/** A hostile value for a column, each column starting with the next of the six trigger characters. */
const hostile = (what: string) => `${TRIGGERS[nth++ % TRIGGERS.length]}HYPERLINK("http://evil.example/${what}";"open me")`;
const guarded = (value: string) => `'${value}`;
/** A cell no spreadsheet runs: it starts with none of the six characters, or it is a plain (negative) number. */
const inert = (c: string) => !/^[=+\-@\t\r]/.test(c) || /^-\d+(\.\d+)?$/.test(c);

/** RFC 4180: CRLF lines, quoted cells with "" for a quote, commas and line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

interface Table {
  header: string[];
  rows: string[][];
}
const tableOf = (text: string): Table => {
  const [header, ...rows] = parseCsv(text);
  return { header: header!, rows };
};
const cell = (t: Table, row: string[], column: string) => {
  const i = t.header.indexOf(column);
  expect(i, `column ${column}`).toBeGreaterThanOrEqual(0);
  return row[i]!;
};

async function exported(t: TestApp, what: 'receipts_csv' | 'flags_csv' | 'statement_csv'): Promise<string> {
  const r = await t.must('exportData', { what });
  return readFileSync(t.app.exportFile(r.exportId)!.path, 'utf8');
}

/** The desk's schema, empty: where a CHECK constraint is shown to refuse a hostile value. */
let schema: Database.Database | null = null;
/** A CHECK constraint keeps the column to the app's own codes: a hostile value is refused by the database. */
function refusedByDatabase(sql: string): void {
  if (!schema) {
    schema = new Database(':memory:');
    const migrated = runMigrations(schema);
    if (!migrated.ok) throw new Error(migrated.error.message);
  }
  expect(() => schema!.prepare(sql).run()).toThrow(/CHECK constraint failed/);
}

describe('csvField and csvLine', () => {
  it('guard every text cell starting with = + - @ tab or CR, write numbers as numbers, quote as RFC 4180 says', () => {
    for (const c of TRIGGERS) expect(csvField(`${c}1+1`)).toBe(/[\r]/.test(c) ? `"'${c}1+1"` : `'${c}1+1`);
    expect(csvField('-3')).toBe("'-3"); // text, whatever it looks like
    expect(csvField(-3)).toBe('-3'); // a number the app computed: not text, no formula
    expect(csvField('=a,"b"')).toBe(`"'=a,""b"""`);
    expect(csvField('plain')).toBe('plain');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvLine(['=x', 1, null, 'y'])).toBe("'=x,1,,y\r\n");
  });
});

// ---- receipts and flags-and-decisions -----------------------------------------------------

/** Everything a receipt line is made of, hostile, straight into the database (as a tampered file or a hostile server could). */
const H = {
  operator: hostile('operator'),
  batch: hostile('batch'),
  receiptId: hostile('receipt_id'),
  seq: hostile('workstation_seq'),
  barcode: '=HYPERLINK(1)+23', // 16 characters, as the column requires
  ballot: hostile('ballot_number'),
  issue: hostile('issue'),
  memberRef: hostile('member_ref'),
  scannedAt: hostile('scanned_at'),
  position: hostile('position'),
  manualReason: hostile('manual_reason'),
  confirmer: hostile('confirmed_by'),
  flagId: hostile('flag_id'),
  kind: hostile('flag_kind'),
  raisedAt: hostile('raised_at'),
  decisionId: hostile('decision_id'),
  note: hostile('note'),
  supervisor: hostile('supervisor'),
  decidedAt: hostile('decided_at'),
  refusedAt: hostile('refused_by_server_at'),
  refusedReason: hostile('refused_reason'),
  liftedAt: hostile('refusal_lifted_at'),
  countedId: hostile('counted decision'),
};

function plantHostileReceipt(t: TestApp): void {
  const db = new Database(join(t.dir, DATABASE_FILE));
  db.transaction(() => {
    db.prepare("INSERT INTO people (id, name, role, pin_hash, created_at) VALUES ('p-h', ?, 'operator', 'x', '2026-11-25T09:00:00.000Z')").run(H.operator);
    db.prepare(
      "INSERT INTO batches (id, label, opened_at, opened_by, closed_at, closed_by) VALUES ('b-h', ?, '2026-11-25T09:00:00.000Z', 'p-h', '2026-11-25T10:00:00.000Z', 'p-h')",
    ).run(H.batch);
    db.prepare("INSERT INTO people (id, name, role, pin_hash, created_at) VALUES ('p-c', ?, 'supervisor', 'x', '2026-11-25T09:00:00.000Z')").run(H.confirmer);
    db.prepare(
      `INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, member_ref, scanned_at, operator_id, batch_id, position, source, manual_reason, desk_outcome, confirmed_by)
       VALUES (?, ?, ?, 1022, ?, ?, ?, ?, 'p-h', 'b-h', ?, 'manual', ?, 'flagged', 'p-c')`,
    ).run(H.receiptId, H.seq, H.barcode, H.ballot, H.issue, H.memberRef, H.scannedAt, H.position, H.manualReason);
    db.prepare("INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at) VALUES (?, ?, ?, 'server', ?)").run(H.flagId, H.receiptId, H.kind, H.raisedAt);
    // a decision the server refused (all its text hostile), and a later one that counts
    db.prepare("INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here) VALUES (?, ?, 'count', ?, NULL, ?, ?, 0)").run(
      H.decisionId,
      H.flagId,
      H.note,
      H.supervisor,
      H.decidedAt,
    );
    db.prepare('INSERT INTO decision_refusals (decision_id, reason, refused_at) VALUES (?, ?, ?)').run(H.decisionId, H.refusedReason, H.refusedAt);
    db.prepare('INSERT INTO decision_refusal_lifts (decision_id, lifted_at) VALUES (?, ?)').run(H.decisionId, H.liftedAt);
    db.prepare(
      "INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here) VALUES (?, ?, 'set_aside', 'kept', NULL, 'Sue', '2026-11-25T11:00:00.000Z', 0)",
    ).run(H.countedId, H.flagId);
    db.prepare("INSERT INTO server_verdicts (receipt_id, outcome, kind, recorded_at) VALUES (?, 'flagged', ?, '2026-11-25T10:00:00.000Z')").run(H.receiptId, H.kind);
  })();
  db.close();
}

/** Values typed at the desk and read from a register file: the path the outside review confirmed. */
const TYPED = { memberRef: '=HYPERLINK("http://evil.example";"x")', batch: '@SUM(1+1)', operator: '+Olga', note: '-1+1', confirmer: '-Rita' };

type ColumnCheck =
  | { column: string; hostile: (t: Table) => Array<{ got: string; value: string }> }
  | { column: string; constant: readonly string[]; refused: () => void };

let receipts: Table;
let flags: Table;

beforeAll(async () => {
  const app = await startApp();
  const people = await dayAtTheCentre(app, { registerCsv: HEADER + registerRow(7, 1, 'issued', `"${TYPED.memberRef.replace(/"/g, '""')}"`) });
  await app.must('addPerson', { name: TYPED.operator, pin: '975310', role: 'operator' });
  await app.must('openBatch', { label: TYPED.batch });
  const flagged = await app.must('recordScan', { barcode: encodeBarcode(ELECTION, 9, 1), source: 'scanner' }); // not on the register
  await app.must('recordScan', { barcode: encodeBarcode(ELECTION, 7, 1), source: 'scanner' });
  // a manual entry, confirmed by a supervisor whose name was typed at the desk
  const rita = await app.must('addPerson', { name: TYPED.confirmer, pin: '864202', role: 'supervisor' });
  const typed = encodeBarcode(ELECTION, 8, 1);
  await app.must('recordManualEntry', { barcode: typed, repeatBarcode: typed, reason: 'torn', confirmation: { supervisorId: rita.id, pin: '864202' } });
  await signInAs(app, people.sueId, SUPERVISOR_PIN);
  await app.must('decideFlags', { flagIds: [flagged.flagId], decision: 'set_aside', note: TYPED.note });
  plantHostileReceipt(app);
  receipts = tableOf(await exported(app, 'receipts_csv'));
  flags = tableOf(await exported(app, 'flags_csv'));
}, 120_000);

const hostileReceipt = (t: Table) => t.rows.filter((r) => cell(t, r, 'receipt_id') === guarded(H.receiptId));
const one = (got: string, value: string) => [{ got, value: guarded(value) }];

const RECEIPT_COLUMNS: ColumnCheck[] = [
  { column: 'receipt_id', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'receipt_id'), H.receiptId) },
  { column: 'workstation_seq', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'workstation_seq'), H.seq) },
  { column: 'barcode', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'barcode'), H.barcode) },
  { column: 'display', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'display'), formatBarcode(H.barcode)) },
  { column: 'ballot_number', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'ballot_number'), H.ballot) },
  { column: 'issue', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'issue'), H.issue) },
  {
    column: 'member_ref',
    hostile: (t) => [
      ...one(cell(t, hostileReceipt(t)[0]!, 'member_ref'), H.memberRef),
      // from a register file, as the review found it
      { got: cell(t, t.rows.find((r) => cell(t, r, 'ballot_number') === '7')!, 'member_ref'), value: guarded(TYPED.memberRef) },
    ],
  },
  { column: 'scanned_at', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'scanned_at'), H.scannedAt) },
  {
    column: 'operator',
    hostile: (t) => [
      ...one(cell(t, hostileReceipt(t)[0]!, 'operator'), H.operator),
      { got: cell(t, t.rows.find((r) => cell(t, r, 'ballot_number') === '7')!, 'operator'), value: 'Sam' },
    ],
  },
  {
    column: 'batch',
    hostile: (t) => [...one(cell(t, hostileReceipt(t)[0]!, 'batch'), H.batch), { got: cell(t, t.rows[0]!, 'batch'), value: guarded(TYPED.batch) }],
  },
  { column: 'position', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'position'), H.position) },
  {
    column: 'source',
    constant: ['scanner', 'camera', 'manual'],
    refused: () =>
      refusedByDatabase("INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, scanned_at, operator_id, batch_id, position, source, desk_outcome) VALUES ('x', 1, '1022000000001184', 1022, 1, 1, 'now', 'p', 'b', 1, '=1', 'accepted')"),
  },
  {
    column: 'manual_reason',
    hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'manual_reason'), H.manualReason),
  },
  {
    column: 'confirmed_by',
    hostile: (t) => [
      ...one(cell(t, hostileReceipt(t)[0]!, 'confirmed_by'), H.confirmer),
      { got: cell(t, t.rows.find((r) => cell(t, r, 'ballot_number') === '8')!, 'confirmed_by'), value: guarded(TYPED.confirmer) },
    ],
  },
  {
    column: 'desk_verdict',
    constant: ['accepted', 'flagged'],
    refused: () =>
      refusedByDatabase("INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, scanned_at, operator_id, batch_id, position, source, desk_outcome) VALUES ('x', 1, '1022000000001184', 1022, 1, 1, 'now', 'p', 'b', 1, 'manual', '=1')"),
  },
  { column: 'flag_kind', hostile: (t) => one(cell(t, hostileReceipt(t)[0]!, 'flag_kind'), H.kind) },
  {
    column: 'latest_decision',
    constant: ['', 'set_aside', 'count', 'void_receipt', 'escalate'],
    refused: () => refusedByDatabase("INSERT INTO decisions (id, flag_id, decision, note, supervisor_name, decided_at) VALUES ('x', 'f', '=1', 'n', 'S', 'now')"),
  },
  {
    column: 'server_verdict',
    constant: ['', 'accepted', 'flagged', 'rejected'],
    refused: () => refusedByDatabase("INSERT INTO server_verdicts (receipt_id, outcome, recorded_at) VALUES ('r', '=1', 'now')"),
  },
];

const hostileFlagLine = (t: Table) => t.rows.find((r) => cell(t, r, 'decision_id') === guarded(H.decisionId))!;

const FLAG_COLUMNS: ColumnCheck[] = [
  { column: 'flag_id', hostile: (t) => one(cell(t, hostileFlagLine(t), 'flag_id'), H.flagId) },
  { column: 'kind', hostile: (t) => one(cell(t, hostileFlagLine(t), 'kind'), H.kind) },
  {
    column: 'raised_by',
    constant: ['desk', 'server'],
    refused: () => refusedByDatabase("INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at) VALUES ('x', 'r', 'k', '=1', 'now')"),
  },
  { column: 'raised_at', hostile: (t) => one(cell(t, hostileFlagLine(t), 'raised_at'), H.raisedAt) },
  { column: 'receipt_id', hostile: (t) => one(cell(t, hostileFlagLine(t), 'receipt_id'), H.receiptId) },
  { column: 'display', hostile: (t) => one(cell(t, hostileFlagLine(t), 'display'), formatBarcode(H.barcode)) },
  { column: 'member_ref', hostile: (t) => one(cell(t, hostileFlagLine(t), 'member_ref'), H.memberRef) },
  { column: 'operator', hostile: (t) => one(cell(t, hostileFlagLine(t), 'operator'), H.operator) },
  { column: 'batch', hostile: (t) => [...one(cell(t, hostileFlagLine(t), 'batch'), H.batch), { got: cell(t, t.rows[0]!, 'batch'), value: guarded(TYPED.batch) }] },
  { column: 'position', hostile: (t) => one(cell(t, hostileFlagLine(t), 'position'), H.position) },
  // words that start with "Tray": the hostile label and position inside them are inert
  { column: 'location', hostile: (t) => [{ got: cell(t, hostileFlagLine(t), 'location'), value: `Tray ${H.batch}, SET-ASIDE pocket, position ${H.position}` }] },
  { column: 'decision_id', hostile: (t) => one(cell(t, hostileFlagLine(t), 'decision_id'), H.decisionId) },
  {
    column: 'decision',
    constant: ['', 'set_aside', 'count', 'void_receipt', 'escalate'],
    refused: () => refusedByDatabase("INSERT INTO decisions (id, flag_id, decision, note, supervisor_name, decided_at) VALUES ('x', 'f', '+1', 'n', 'S', 'now')"),
  },
  { column: 'note', hostile: (t) => [...one(cell(t, hostileFlagLine(t), 'note'), H.note), { got: cell(t, t.rows[0]!, 'note'), value: guarded(TYPED.note) }] },
  { column: 'supervisor', hostile: (t) => one(cell(t, hostileFlagLine(t), 'supervisor'), H.supervisor) },
  { column: 'decided_at', hostile: (t) => one(cell(t, hostileFlagLine(t), 'decided_at'), H.decidedAt) },
  { column: 'refused_by_server_at', hostile: (t) => one(cell(t, hostileFlagLine(t), 'refused_by_server_at'), H.refusedAt) },
  { column: 'refused_reason', hostile: (t) => one(cell(t, hostileFlagLine(t), 'refused_reason'), H.refusedReason) },
  { column: 'refusal_lifted_at', hostile: (t) => one(cell(t, hostileFlagLine(t), 'refusal_lifted_at'), H.liftedAt) },
];

function checkColumn(get: () => Table, c: ColumnCheck) {
  const t = get();
  if ('hostile' in c) {
    const cases = c.hostile(t);
    expect(cases.length).toBeGreaterThan(0);
    for (const { got, value } of cases) expect(got).toBe(value);
  } else {
    const values = new Set(t.rows.map((r) => cell(t, r, c.column)));
    for (const v of values) expect(c.constant, `${c.column}: ${JSON.stringify(v)}`).toContain(v);
    c.refused();
  }
  // and no cell of the column anywhere in the file could be read as a formula
  for (const r of t.rows) expect(inert(cell(t, r, c.column)), JSON.stringify(cell(t, r, c.column))).toBe(true);
}

describe('receipts CSV', () => {
  it('has a check below for every column', () => expect(receipts.header).toEqual(RECEIPT_COLUMNS.map((c) => c.column)));
  it.each(RECEIPT_COLUMNS.map((c) => [c.column, c] as const))('column %s', (_name, c) => checkColumn(() => receipts, c));
  it('still writes numbers the app recorded as numbers', () => {
    const normal = receipts.rows.find((r) => cell(receipts, r, 'source') === 'scanner')!;
    expect(cell(receipts, normal, 'workstation_seq')).toBe('1');
    expect(cell(receipts, normal, 'ballot_number')).toBe('9');
  });
});

describe('flags-and-decisions CSV', () => {
  it('has a check below for every column', () => expect(flags.header).toEqual(FLAG_COLUMNS.map((c) => c.column)));
  it.each(FLAG_COLUMNS.map((c) => [c.column, c] as const))('column %s', (_name, c) => checkColumn(() => flags, c));
});

// ---- the end-of-day statement --------------------------------------------------------------

const S = {
  trayLabel: hostile('tray label'),
  openedAt: hostile('opened_at'),
  closedAt: hostile('closed_at'),
  expected: hostile('expected'),
  physical: hostile('physical'),
  workstation: hostile('workstation'),
  electionName: hostile('election_name'),
  centre: hostile('centre'),
  scannedAt: '@2099-01-01T00:00:00.000Z', // the period's end: '@' sorts after every date
  witnessedAt: hostile('last_witnessed_at'),
  witnessedSeq: hostile('last_witnessed_seq'),
  centreId: hostile('centre_id'),
  centreName: hostile('centre_name'),
  asOf: hostile('as_of'),
  deskName: hostile('desk name'),
  lastReceivedAt: hostile('last_received_at'),
  lastWitnessedAt: hostile('centre last_witnessed_at'),
  reason: hostile('reason'),
};

const hostileCentre: CentreFigures = {
  status: 'included',
  thisDeviceId: 'd1',
  unsentHere: 0,
  summary: {
    centreId: S.centreId,
    centreName: S.centreName,
    electionNumber: ELECTION,
    asOf: S.asOf,
    received: 1,
    accepted: 1,
    flagged: 0,
    flaggedByKind: { unknown_ballot: 0, duplicate_scan: 0, superseded_ballot: 0, member_already_returned: 0, online_vote_cast: 0, late_return: 0 },
    decisionsByKind: { set_aside: 0, count: 0, void_receipt: 0, escalate: 0, open: 0 },
    workstations: [{ deviceId: 'd1', name: S.deskName, received: 1, lastReceivedAt: S.lastReceivedAt, lastWitnessedAt: S.lastWitnessedAt, revoked: false }],
  },
};

let statement: Table;
let statementOffline: Table;
let statementExported: Table;
const line = (t: Table, section: string, item: string) => t.rows.find((r) => r[0] === section && r[1] === item)!;

const STATEMENT_COLUMNS: ColumnCheck[] = [
  {
    column: 'section',
    constant: [
      'statement', 'totals', 'flagged_by_kind', 'decisions_by_kind', 'received_by_source', 'trays', 'tray', 'tray_place', 'audit', 'centre',
      'centre_flagged_by_kind', 'centre_decisions_by_kind', 'centre_workstation', 'centre_workstation_last_received_at',
      'centre_workstation_last_witnessed_at', 'centre_workstation_revoked',
    ],
    refused: () => {}, // written by the app alone: statement.ts and statement-centre.ts
  },
  {
    column: 'item',
    hostile: (t) => [
      { got: t.rows.find((r) => r[0] === 'tray' && r[1] !== 'Normal tray')![1]!, value: guarded(S.trayLabel) },
      { got: t.rows.find((r) => r[0] === 'centre_workstation')![1]!, value: guarded(S.deskName) },
    ],
  },
  {
    column: 'value',
    hostile: (t) => [
      { got: line(t, 'statement', 'centre')[2]!, value: guarded(S.centre) },
      { got: line(t, 'statement', 'election_name')[2]!, value: guarded(S.electionName) },
      { got: line(t, 'statement', 'workstation')[2]!, value: guarded(S.workstation) },
      { got: line(t, 'statement', 'period_to')[2]!, value: guarded(S.scannedAt) },
      { got: line(t, 'audit', 'last_witnessed_at')[2]!, value: guarded(S.witnessedAt) },
      { got: line(t, 'audit', 'last_witnessed_seq')[2]!, value: guarded(S.witnessedSeq) },
      { got: line(t, 'centre', 'centre_id')[2]!, value: guarded(S.centreId) },
      { got: line(t, 'centre', 'centre_name')[2]!, value: guarded(S.centreName) },
      { got: line(t, 'centre', 'as_of')[2]!, value: guarded(S.asOf) },
      { got: line(t, 'centre_workstation_last_received_at', guarded(S.deskName))[2]!, value: guarded(S.lastReceivedAt) },
      { got: line(t, 'centre_workstation_last_witnessed_at', guarded(S.deskName))[2]!, value: guarded(S.lastWitnessedAt) },
      { got: line(statementOffline, 'centre', 'reason')[2]!, value: guarded(S.reason) },
    ],
  },
  { column: 'expected', hostile: (t) => [{ got: cell(t, t.rows.find((r) => r[1] === guarded(S.trayLabel))!, 'expected'), value: guarded(S.expected) }] },
  // counted by the app: numbers, never text
  { column: 'scanned', constant: ['', '0', '1', '2', '3'], refused: () => {} },
  { column: 'flagged', constant: ['', '0', '1', '2', '3'], refused: () => {} },
  { column: 'physical', hostile: (t) => [{ got: cell(t, t.rows.find((r) => r[1] === guarded(S.trayLabel))!, 'physical'), value: guarded(S.physical) }] },
  // physical − scanned, a number the app computed: a shortfall is written as a negative number, not as text
  { column: 'discrepancy', constant: ['', '-2'], refused: () => {} },
  { column: 'opened_at', hostile: (t) => [{ got: cell(t, t.rows.find((r) => r[1] === guarded(S.trayLabel))!, 'opened_at'), value: guarded(S.openedAt) }] },
  { column: 'closed_at', hostile: (t) => [{ got: cell(t, t.rows.find((r) => r[1] === guarded(S.trayLabel))!, 'closed_at'), value: guarded(S.closedAt) }] },
];

describe('statement CSV', () => {
  beforeAll(async () => {
    const desk = await startApp();
    await dayAtTheCentre(desk, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    // a normal tray: 3 scanned, 1 counted by hand — a discrepancy of −2
    const tray = await desk.must('openBatch', { label: 'Normal tray' });
    for (const b of [1, 2, 3]) await desk.must('recordScan', { barcode: encodeBarcode(ELECTION, b, 1), source: 'scanner' });
    await desk.must('closeBatch', { batchId: tray.id, physicalCount: 1 });
    const db = new Database(join(desk.dir, DATABASE_FILE));
    db.transaction(() => {
      db.prepare('UPDATE workstation SET workstation_name = ?, election_name = ?, centre_name = ? WHERE id = 1').run(S.workstation, S.electionName, S.centre);
      const sam = (db.prepare("SELECT id FROM people WHERE name = 'Sam'").get() as { id: string }).id;
      db.prepare('INSERT INTO batches (id, label, expected_count, opened_at, opened_by, closed_at, closed_by, physical_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        'b-h', S.trayLabel, S.expected, S.openedAt, sam, S.closedAt, sam, S.physical,
      );
      db.prepare(
        `INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, member_ref, scanned_at, operator_id, batch_id, position, source, desk_outcome)
         VALUES ('r-h', 1000, '1022000000001184', 1022, 1, 1, NULL, ?, ?, 'b-h', 1, 'scanner', 'accepted')`,
      ).run(S.scannedAt, sam);
      db.prepare("INSERT INTO outbox (kind, ref_id, payload, created_at, sent_at) VALUES ('audit_head', 'h', ?, 'now', ?)").run(JSON.stringify({ seq: S.witnessedSeq, hash: 'x' }), S.witnessedAt);
    })();
    db.close();
    const read = new Database(join(desk.dir, DATABASE_FILE), { readonly: true });
    const text = (centre: CentreFigures) => [...statementCsvPages(read, new Date('2026-11-25T18:00:00.000Z'), centre)].flat().join('');
    statement = tableOf(text(hostileCentre));
    statementOffline = tableOf(text({ status: 'offline', reason: S.reason }));
    read.close();
    statementExported = tableOf(await exported(desk, 'statement_csv'));
  }, 120_000);

  it('has a check below for every column', () => expect(statement.header).toEqual(STATEMENT_COLUMNS.map((c) => c.column)));
  it.each(STATEMENT_COLUMNS.map((c) => [c.column, c] as const))('column %s', (_name, c) => checkColumn(() => statement, c));

  it('the exported file (exportData) is written by the same lines: the tray label guarded there too', () => {
    const file = statementExported;
    expect(file.rows.find((r) => r[0] === 'tray' && r[1] === guarded(S.trayLabel))).toBeDefined();
    expect(line(file, 'statement', 'workstation')[2]).toBe(guarded(S.workstation));
    for (const r of file.rows) for (const c of r) expect(inert(c), JSON.stringify(c)).toBe(true);
  });
});
