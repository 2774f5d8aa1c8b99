// Issue 13, clocks: every sync compares the desk's clock with the server's (its Date header;
// the desk sends its own in x-desk-clock, and the server keeps the difference). A desk whose
// clock is 7 minutes slow says so in Sync status; over 10 minutes, opening a tray needs a
// supervisor's name and PIN (audited). The last reading is kept for a desk that starts offline.
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/types';
import { cleanUp, enrol, enrolmentCode, openWorkstation, PIN, serverProcess, setUpElection, waitFor, waitUpToDate } from './helpers';

afterAll(cleanUp);

const MINUTE = 60_000;

describe("the desk's clock against the server's", () => {
  it('7 minutes slow: said in words; 12 minutes slow: a tray needs a supervisor; kept while offline', { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 50, ['north']);
    let slowBy = 7 * MINUTE;
    const ws = await openWorkstation({ now: () => new Date(Date.now() - slowBy) });
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
    await waitUpToDate(ws);
    await ws.must('syncNow', {});
    const status: SyncStatus = ws.status();
    expect(status.text).toBe('Up to date');
    expect(status.clock).toMatchObject({ warning: "this computer's clock is 7 minutes behind the central server", confirmTrays: false });
    expect(Math.abs(status.clock!.skewMs + 7 * MINUTE)).toBeLessThan(5_000);
    expect((await ws.must('listAudit', { event: 'sync.clock_skew', offset: 0, limit: 5 })).total).toBe(1);
    // the server heard the desk's clock (x-desk-clock) and keeps the difference per desk
    const summary = await ws.engine.centreSummary();
    expect(summary.ok).toBe(true);
    const me = summary.ok ? summary.value.workstations.find((w) => w.deviceId === ws.core.workstation.deviceId()) : undefined;
    expect(Math.abs((me?.clockSkewMs ?? 0) + 7 * MINUTE)).toBeLessThan(5_000);

    // 7 minutes: a tray opens as usual
    const tray1 = ws.core.batches.openBatch()!;
    await ws.must('closeBatch', { batchId: tray1.id, physicalCount: 0 });
    const t2 = await ws.must('openBatch', { label: 'Tray 2' });
    await ws.must('closeBatch', { batchId: t2.id, physicalCount: 0 });

    // 12 minutes: a supervisor confirms, with the right PIN
    slowBy = 12 * MINUTE;
    await ws.must('syncNow', {});
    expect(ws.status().clock).toMatchObject({ warning: "this computer's clock is 12 minutes behind the central server", confirmTrays: true });
    const asked = await ws.call('openBatch', { label: 'Tray 3' });
    expect(asked).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    expect(asked.ok ? '' : asked.error.message).toMatch(/^This computer's clock is 12 minutes behind the central server: .*A supervisor must confirm/);
    // (Olga's PIN is the helper's: added by the slow clock, she is the first person a reopened desk signs in)
    const olga = await ws.must('addPerson', { name: 'Olga', pin: PIN, role: 'operator' });
    expect(await ws.call('openBatch', { label: 'Tray 3', clockConfirmation: { supervisorId: ws.operatorId, pin: '000000' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ws.call('openBatch', { label: 'Tray 3', clockConfirmation: { supervisorId: olga.id, pin: PIN } })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Olga is not a supervisor: a supervisor must confirm.' },
    });
    const t3 = await ws.must('openBatch', { label: 'Tray 3', clockConfirmation: { supervisorId: ws.operatorId, pin: PIN } });
    const confirmed = (await ws.must('listAudit', { event: 'batch.clock_confirmed', offset: 0, limit: 5 })).rows;
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]).toMatchObject({ actor: ws.operatorId, detail: { batchId: t3.id, words: "this computer's clock is 12 minutes behind the central server" } });
    await ws.must('closeBatch', { batchId: t3.id, physicalCount: 0 });

    // offline after a restart, the last reading still holds
    const dir = ws.dir;
    await ws.close();
    await server.kill();
    const again = await openWorkstation({ dir, now: () => new Date(Date.now() - slowBy) });
    await waitFor('Offline', () => again.status().text === 'Offline', 30_000);
    expect(again.status().clock).toMatchObject({ confirmTrays: true });
    expect(await again.call('openBatch', { label: 'Tray 4' })).toMatchObject({ ok: false, error: { code: 'confirmation_required' } });
    await again.close();
  });
});
