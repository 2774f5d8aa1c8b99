// The repeat-read window remembers recent reads only: a long day of distinct envelopes does not
// grow the desk's memory, and a re-read inside the window is still a repeat, not a receipt.
import { afterAll, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { cleanUp, openWorkstation } from '../sync/helpers';

afterAll(cleanUp);

it('forgets reads older than the window, and still treats a re-read within it as a repeat', async () => {
  const ws = await openWorkstation();
  await ws.must('configureOffline', { electionNumber: 1022, electionName: 'Leadership election', closesAt: '2026-12-31T18:00:00.000Z', workstationName: 'Desk 1' });
  await ws.must('openBatch', { label: 'T1' });
  const t0 = Date.parse('2026-11-25T09:00:00.000Z');
  const read = (ballot: number, atMs: number, windowMs = 10_000) =>
    ws.core.receipts.record(
      { raw: encodeBarcode(1022, ballot, 1), source: 'scanner' },
      { operatorId: ws.operatorId, now: new Date(atMs), electionNumber: 1022, closesAt: new Date('2026-12-31T18:00:00.000Z'), repeatWindowMs: windowMs },
    ).verdict;

  // 5,000 envelopes, one a second: only the last ~10 seconds' reads are remembered.
  for (let i = 1; i <= 5_000; i++) expect(read(i, t0 + i * 1_000)).not.toBe('already_recorded');
  expect(ws.core.receipts.readsRemembered()).toBeLessThanOrEqual(11);
  // A re-read 3 s later is a repeat; 20 s later it is a second receipt (flagged as a duplicate).
  const last = t0 + 5_000 * 1_000;
  expect(read(5_000, last + 3_000)).toBe('already_recorded');
  expect(read(5_000, last + 3_000 + 9_000)).toBe('already_recorded'); // the repeat extended the window
  expect(read(4_990, last + 30_000)).toBe('flagged');
  await ws.close();
});
