// Migration 008 on a desk that already has trays (issue 14 item 3): every receipt gets the place
// its verdict named at the time (flagged: the pocket of its kind; accepted: the tray itself),
// a re-scan in the same tray moves its envelope, a tray closed before keeps its one count and
// the discrepancy recorded then, and a tray still open closes place by place.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { dayAtTheCentre, ELECTION, HEADER, registerRow, signInAs, startApp, SUPERVISOR_PIN } from './helpers';

/** The database as a version-7 desk left it: migration 008's tables and index not there yet. */
function backToVersion7(path: string): void {
  const db = new Database(path);
  db.exec(`
    DROP TABLE receipt_places;
    DROP TABLE batch_place_counts;
    DROP INDEX receipts_batch_barcode;
    PRAGMA user_version = 7;
  `);
  db.close();
}

describe('migration 008: trays with pockets', () => {
  it('a desk with trays from before migrates: places from the verdicts, re-scans once, old counts kept', async () => {
    const t = await startApp();
    const { samId } = await dayAtTheCentre(t, { registerCsv: HEADER + [1, 2, 3, 4].map((b) => registerRow(b, 1, 'issued', `M-${b}`)).join('') });
    const scan = (ballot: number) => t.must('recordScan', { barcode: encodeBarcode(ELECTION, ballot, 1), source: 'scanner' });
    // closed before the upgrade with one count for everything (5 receipts, 4 envelopes counted)
    const old = await t.must('openBatch', { label: 'OLD' });
    await scan(1);
    await scan(2);
    await scan(9); // unknown
    t.clock.advance(11_000);
    await scan(2); // re-scan
    await scan(3);
    await t.must('closeBatch', { batchId: old.id, physicalCount: 4 });
    // still open at the upgrade
    t.clock.advance(60_000);
    const open = await t.must('openBatch', { label: 'OPEN' });
    await scan(4);
    await scan(8); // unknown
    t.clock.set('2026-11-25T18:30:00.000Z');
    await signInAs(t, samId, SUPERVISOR_PIN);
    await scan(7); // unknown and late: the first kind that applies (unknown_ballot)
    await t.close();

    backToVersion7(join(t.dir, DATABASE_FILE));
    const again = await startApp({ dir: t.dir, clock: t.clock });
    await signInAs(again, samId, SUPERVISOR_PIN);
    const [openTray, oldTray] = await again.must('listBatches', {});
    // the old tray: the discrepancy recorded then (4 counted for 5 receipts), in words saying why
    expect(oldTray).toMatchObject({ label: 'OLD', physicalCount: 4, discrepancy: -1, envelopeCount: 4 });
    expect(oldTray.discrepancyWords).toBe('1 envelope fewer than scanned (one count for the whole tray, before pockets were counted).');
    expect(oldTray.places).toEqual([
      { place: 'tray', expected: 2, counted: null },
      { place: 'SET-ASIDE', expected: 2, counted: null },
      { place: 'LATE', expected: 0, counted: null },
    ]);
    // the open tray: the accepted envelope in the tray, the unknown ones in SET-ASIDE
    expect(openTray.places.map((p: any) => [p.place, p.expected])).toEqual([['tray', 1], ['SET-ASIDE', 2], ['LATE', 0]]);
    const flags = await again.must('listFlags', { offset: 0, limit: 10 });
    expect(flags.rows.map((f: any) => f.location).sort()).toEqual([
      'Tray OLD, SET-ASIDE pocket, position 1', // 9
      'Tray OLD, SET-ASIDE pocket, position 2', // 2, moved by its re-scan
      'Tray OPEN, SET-ASIDE pocket, position 1',
      'Tray OPEN, SET-ASIDE pocket, position 2',
    ]);
    // scans after the upgrade go on in the same tray, and it closes place by place
    expect(await again.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 2), source: 'scanner' })).toMatchObject({ place: 'SET-ASIDE', position: 3 });
    const closed = await again.must('closeBatch', { batchId: open.id, physicalCount: 1, pocketCounts: { 'SET-ASIDE': 3 } });
    expect(closed).toMatchObject({ discrepancy: 0, discrepancyWords: null });
    expect((await again.must('verifyAudit', {})).ok).toBe(true);
  });
});
