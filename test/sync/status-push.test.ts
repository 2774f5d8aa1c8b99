// Issue 13: the screens are never left showing "Up to date" over something just made here. The
// moment a scan or a decision is acknowledged, the Sync status the screens were last told (the
// syncStatus push) already counts it — not at the next poll of the outbox.
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/types';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { barcodeOf, cleanUp, ELECTION, enrol, enrolmentCode, openWorkstation, serverProcess, setUpElection, waitUpToDate } from './helpers';

afterAll(cleanUp);

describe('Sync status pushed to the screens', () => {
  it('says a scan or a decision is waiting as soon as it is acknowledged', { timeout: 120_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 50, ['north']);
    // a slow poll, so only the acknowledgement itself can tell the screens in time
    const ws = await openWorkstation({ sync: { pollMs: 60_000, debounceMs: 2_000, periodicMs: 60_000 } });
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
    await waitUpToDate(ws);
    const sue = await ws.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    let shown: SyncStatus | null = null;
    ws.core.onEvent((e) => e.type === 'syncStatus' && (shown = e.status));
    await ws.must('syncNow', {});
    expect(shown!.text).toBe('Up to date');

    await ws.must('recordScan', { barcode: barcodeOf(1), source: 'scanner' });
    expect(shown!.text).toBe('1 waiting');
    await ws.must('syncNow', {});
    expect(shown!.text).toBe('Up to date');

    const flagged = await ws.must('recordScan', { barcode: encodeBarcode(ELECTION, 700, 1), source: 'scanner' });
    await ws.must('syncNow', {});
    expect(shown!.text).toBe('Up to date');
    ws.core.session.start({ personId: sue.id, name: 'Sue', role: 'supervisor' }, new Date());
    await ws.must('decideFlags', { flagIds: [flagged.flagId], decision: 'set_aside', note: 'set aside' });
    expect(shown!.text).toBe('1 waiting');
    await ws.close();
  });
});
