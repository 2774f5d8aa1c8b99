// Trays (batches): one open at a time, positions in the tray, closing with the physical count.
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { dayAtTheCentre, ELECTION, startApp, SUPERVISOR_PIN } from './helpers';

describe('trays', () => {
  it('one tray open at a time; receipts get positions; closing keeps the count and the difference', async () => {
    const t = await startApp();
    const { sueId } = await dayAtTheCentre(t);
    const confirmation = { supervisorId: sueId, pin: SUPERVISOR_PIN };
    const noTray = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    expect(noTray).toMatchObject({ verdict: 'rejected', reason: expect.stringContaining('open a batch') });
    const t1 = await t.must('openBatch', { label: 'T1', expectedCount: 3 });
    expect(await t.call('openBatch', { label: 'T2' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('T1 is still open') } });
    const a = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    const b = await t.must('recordManualEntry', { barcode: encodeBarcode(ELECTION, 2, 1), repeatBarcode: encodeBarcode(ELECTION, 2, 1), reason: 'torn', confirmation });
    expect([a.position, b.position]).toEqual([1, 2]);
    expect(await t.call('recordManualEntry', { barcode: encodeBarcode(ELECTION, 3, 1), repeatBarcode: encodeBarcode(ELECTION, 4, 1), reason: 'x', confirmation })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await t.must('getState', {})).openBatch).toMatchObject({ label: 'T1', scannedCount: 2, expectedCount: 3 });
    const closed = await t.must('closeBatch', { batchId: t1.id, physicalCount: 3 });
    expect(closed).toMatchObject({ physicalCount: 3, scannedCount: 2, discrepancy: 1 });
    expect(await t.call('closeBatch', { batchId: t1.id, physicalCount: 3 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.call('openBatch', { label: 'T1' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    t.clock.advance(60_000);
    await t.must('openBatch', { label: 'T2' });
    const c = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 5, 1), source: 'camera' });
    expect(c).toMatchObject({ batchLabel: 'T2', position: 1 });
    expect((await t.must('listBatches', {})).map((x: any) => x.label)).toEqual(['T2', 'T1']) // newest first;
    const recent = await t.must('recentScans', { limit: 10 });
    expect(recent.map((r: any) => r.verdict)).toEqual(['recorded', 'recorded', 'recorded', 'rejected']);
  });
});
