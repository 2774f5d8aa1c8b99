// Issue 14 item 3: a tray as the operator's hands keep it. Every verdict says where the envelope
// goes (the tray itself, or a pocket: SET-ASIDE, LATE) and at which position; an operator who
// does exactly that, through a day with every verdict (flagged, a repeat read, re-scans after
// the repeat window, late), closes every tray with no discrepancy, and every flag names where
// its envelope is. An envelope that goes missing is reported in words.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';
import { FLAG_INSTRUCTIONS, FLAG_KINDS } from '../../shared/domain';
import { FLAG_POCKETS, PLACES, type Place } from '../../shared/places';
import { dayAtTheCentre, ELECTION, HEADER, OPERATOR_PIN, registerRow, signInAs, startApp, SUPERVISOR_PIN, type TestApp } from './helpers';

const REGISTER =
  HEADER +
  [100, 101, 102, 103, 104, 600, 700, 701, 702].map((b) => registerRow(b, 1, 'issued', `M-${b}`)).join('') +
  registerRow(200, 1, 'superseded', 'M-200') +
  registerRow(200, 2, 'issued', 'M-200') +
  registerRow(300, 1, 'cancelled', 'M-300');

/** The operator's hands: what is physically in each place of the open tray, bottom first. */
class Hands {
  places: Record<Place, string[]> = { tray: [], 'SET-ASIDE': [], LATE: [] };
  constructor(readonly t: TestApp) {}

  /** Picks the envelope up (from wherever it is in this tray), scans it, and does what the verdict says. */
  async scan(ballot: number, issue = 1): Promise<any> {
    const barcode = encodeBarcode(ELECTION, ballot, issue);
    const was = PLACES.find((p) => this.places[p].includes(barcode));
    if (was) this.places[was] = this.places[was].filter((b) => b !== barcode);
    const v = await this.t.must('recordScan', { barcode, source: 'scanner' });
    let place: Place;
    if (v.verdict === 'recorded') place = 'tray';
    else if (v.verdict === 'flagged') {
      // the instruction's words, as the operator reads them
      const named = /put in the (\S+) tray/.exec(v.instruction)?.[1];
      place = named as Place;
      expect(PLACES).toContain(place);
    } else if (v.verdict === 'already_recorded') {
      // a repeat read: the envelope goes back where it was
      this.places[was!].push(barcode);
      return v;
    } else throw new Error(`unexpected verdict ${v.verdict}`);
    this.places[place].push(barcode);
    // the position told is where it now lies in that place
    expect(v.position, `${formatBarcode(barcode)} in ${place}`).toBe(this.places[place].length);
    return v;
  }

  counts() {
    return { physicalCount: this.places.tray.length, pocketCounts: { 'SET-ASIDE': this.places['SET-ASIDE'].length, LATE: this.places.LATE.length } };
  }

  /** Where the model says an envelope is, in the words of the flag detail. */
  where(label: string, barcode: string): string {
    const place = PLACES.find((p) => this.places[p].includes(barcode))!;
    const position = this.places[place].indexOf(barcode) + 1;
    return place === 'tray' ? `Tray ${label}, in the tray itself, position ${position}` : `Tray ${label}, ${place} pocket, position ${position}`;
  }
}

async function day() {
  const t = await startApp();
  const people = await dayAtTheCentre(t, { registerCsv: REGISTER });
  const db = new Database(join(t.dir, 'ballot-intake.sqlite'));
  for (const table of ['register_a', 'register_b']) db.prepare(`UPDATE ${table} SET online_voted = 1 WHERE ballot_number = 600`).run();
  db.close();
  await signInAs(t, people.olgaId, OPERATOR_PIN);
  return { t, people };
}

describe('trays as the operator keeps them', () => {
  it('every flag kind goes to the pocket its instruction names', () => {
    for (const k of FLAG_KINDS) expect(FLAG_INSTRUCTIONS[k]).toContain(`the ${FLAG_POCKETS[k]} tray`);
  });

  it('an operator who does what every verdict says closes every tray with no discrepancy; every flag names where its envelope is', async () => {
    const { t, people } = await day();
    const hands = new Hands(t);
    const t1 = await t.must('openBatch', { label: 'T-007' });
    await hands.scan(100);
    await hands.scan(101);
    await hands.scan(102);
    expect((await hands.scan(101)).verdict).toBe('already_recorded'); // a repeat read within the window
    t.clock.advance(11_000);
    expect(await hands.scan(101)).toMatchObject({ verdict: 'flagged', kind: 'duplicate_scan', place: 'SET-ASIDE', position: 1 }); // re-scan after 10 s: 101 leaves the middle of the tray
    await hands.scan(999); // unknown
    await hands.scan(200, 1); // replaced pack
    await hands.scan(300, 1); // cancelled pack
    await hands.scan(600); // voted online
    await hands.scan(103);
    expect(await hands.scan(103)).toMatchObject({ verdict: 'already_recorded' });
    t.clock.advance(11_000);
    await hands.scan(999); // a flagged envelope re-scanned: taken out of SET-ASIDE, put back on top
    expect(await hands.scan(104)).toMatchObject({ verdict: 'recorded', position: 4 }); // 100, 102, 103, 104 stay in the tray
    expect(hands.places.tray.length).toBe(4);

    const open = await t.must('getBatch', { batchId: t1.id });
    expect(open).toMatchObject({ scannedCount: 11, envelopeCount: 9 });
    expect(open.places).toEqual([
      { place: 'tray', expected: 4, counted: null },
      { place: 'SET-ASIDE', expected: 5, counted: null },
      { place: 'LATE', expected: 0, counted: null },
    ]);
    const closed1 = await t.must('closeBatch', { batchId: t1.id, ...hands.counts() });
    expect(closed1).toMatchObject({ discrepancy: 0, discrepancyWords: null, physicalCount: 9, envelopeCount: 9 });

    // After the close: late envelopes go to the LATE pocket of the next tray.
    t.clock.set('2026-11-25T18:30:00.000Z');
    await signInAs(t, people.olgaId, OPERATOR_PIN);
    const late = new Hands(t);
    const t2 = await t.must('openBatch', { label: 'T-008' });
    expect(await late.scan(700)).toMatchObject({ verdict: 'flagged', kind: 'late_return', place: 'LATE', position: 1 });
    await late.scan(701);
    t.clock.advance(11_000);
    await late.scan(700); // late, and now read twice: a duplicate, moved to SET-ASIDE
    const closed2 = await t.must('closeBatch', { batchId: t2.id, ...late.counts() });
    expect(closed2).toMatchObject({ discrepancy: 0, discrepancyWords: null, envelopeCount: 2, scannedCount: 3 });
    expect(late.counts()).toEqual({ physicalCount: 0, pocketCounts: { 'SET-ASIDE': 1, LATE: 1 } });

    // Every flag names where its envelope physically is, in the review and in the flags export.
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    const flags = await t.must('listFlags', { offset: 0, limit: 100 });
    expect(flags.total).toBe(9);
    for (const f of flags.rows) {
      const barcode = f.display.replace(/-/g, '');
      const expected = (f.batchLabel === 'T-007' ? hands : late).where(f.batchLabel, barcode);
      expect(f.location, `${f.display} (${f.kind})`).toBe(expected);
      const detail = await t.must('getFlag', { flagId: f.flagId });
      expect(detail.flag.location).toBe(expected);
    }
    // the first read of 101 was moved by its re-scan: both flags' envelope is the one in SET-ASIDE
    const csv = await t.must('exportData', { what: 'flags_csv' });
    const text = readFileSync(t.app.exportFile(csv.exportId)!.path, 'utf8');
    expect(text.split('\r\n')[0]).toContain(',position,location,decision_id,');
    expect(text).toContain(`,"Tray T-007, SET-ASIDE pocket, position 5"`); // 999, put back on top
    expect(text).toContain(`,"Tray T-008, LATE pocket, position 1"`); // 701

    // The statement counts physical envelopes and says how many reads were repeats.
    const st = await t.must('exportData', { what: 'statement_csv' });
    const lines = readFileSync(t.app.exportFile(st.exportId)!.path, 'utf8').split('\r\n');
    expect(lines).toContain('totals,received,11,,,,,,,');
    expect(lines).toContain('totals,receipts,14,,,,,,,');
    expect(lines).toContain('totals,rescans,3,,,,,,,');
    expect(lines).toContain('totals,repeat_reads,2,,,,,,,');
    expect(lines).toContain('trays,with_discrepancy,0,,,,,,,');
  });

  it('an envelope missing from a pocket, or put in the wrong place, is reported in words', async () => {
    const { t, people } = await day();
    const hands = new Hands(t);
    const tray = await t.must('openBatch', { label: 'T-009' });
    await hands.scan(100);
    await hands.scan(999);
    await hands.scan(300, 1);
    // the cancelled pack was dropped on the floor: SET-ASIDE holds one fewer than the scans put there
    const closed = await t.must('closeBatch', { batchId: tray.id, physicalCount: 1, pocketCounts: { 'SET-ASIDE': 1 } });
    expect(closed).toMatchObject({ discrepancy: -1, physicalCount: 2, envelopeCount: 3 });
    expect(closed.discrepancyWords).toBe('1 envelope missing from the SET-ASIDE pocket (1 counted, the scans put 2 there).');
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    const closedAudit = await t.must('listAudit', { event: 'batch.closed', offset: 0, limit: 10 });
    expect(closedAudit.rows[0].detail).toMatchObject({ scanned: 3, physicalCount: 2, discrepancy: -1 });

    // an accepted envelope put in SET-ASIDE: the whole count matches, the places do not
    const next = await t.must('openBatch', { label: 'T-010' });
    const again = new Hands(t);
    await again.scan(101);
    await again.scan(998);
    const misplaced = await t.must('closeBatch', { batchId: next.id, physicalCount: 0, pocketCounts: { 'SET-ASIDE': 2 } });
    expect(misplaced).toMatchObject({ discrepancy: 0 });
    expect(misplaced.discrepancyWords).toBe(
      '1 envelope missing from the tray itself (0 counted, the scans put 1 there); 1 envelope more in the SET-ASIDE pocket than the scans put there (2 counted, 1 scanned).',
    );
  });
});
