// The returning officer moves the election's close on the central server; an enrolled
// workstation learns it at its next sync (GET /v1/election), audits the change, tells the
// renderer, and from then on its desk flags envelopes scanned after the new close as
// late_return by itself. A failing GET /v1/election is an ordinary pull failure.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { PushEvent } from '../../shared/api/types';
import {
  admin,
  barcodeOf,
  cleanUp,
  ELECTION,
  enrol,
  enrolmentCode,
  ENGINES,
  localReceipts,
  openWorkstation,
  serverProcess,
  setUpElection,
  waitFor,
  waitUpToDate,
  type Workstation,
} from './helpers';

afterAll(cleanUp);

const HOUR = 3_600_000;

function electionAudit(ws: Workstation): Array<{ actor: string | null; detail: unknown }> {
  return (ws.core.db.prepare("SELECT actor, detail FROM audit WHERE event = 'election.updated' ORDER BY seq").all() as Array<{ actor: string | null; detail: string }>).map((r) => ({
    actor: r.actor,
    detail: JSON.parse(r.detail) as unknown,
  }));
}

/** Waits out the cycles a sync leaves behind (the audit head it queued is noticed and sent). */
async function quiet(ws: Workstation): Promise<void> {
  await ws.engine.whenIdle();
  await new Promise((r) => setTimeout(r, 1_000));
  await ws.engine.whenIdle();
}

const workstationChanges = (ws: Workstation) => ws.events.filter((e): e is Extract<PushEvent, { type: 'workstationChanged' }> => e.type === 'workstationChanged');

/** Forwards everything to `upstream`, except GET /v1/election while `failElection` is set (503). */
async function electionFailingProxy(upstream: string): Promise<{ url: string; failElection: boolean; close(): Promise<void> }> {
  const state = { failElection: false };
  const server = http.createServer((req, res) => {
    if (state.failElection && req.method === 'GET' && req.url === '/v1/election') {
      res.writeHead(503, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'election lookup is down' }));
      return;
    }
    const target = new URL(req.url ?? '/', upstream);
    const forward = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

describe.each(ENGINES)('a moved closing time reaches the desk (server on %s)', (engine) => {
  it('adopts the new close at the next sync, audits it once, pushes it to the renderer, and the desk flags a later scan late_return', async () => {
    const server = await serverProcess(engine);
    await setUpElection(server.url, 50, ['north']);
    // No periodic cycle: here a sync happens when the test says so (or right after a scan).
    const ws = await openWorkstation({ sync: { periodicMs: 600_000 } });
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
    await waitUpToDate(ws);
    const enrolledClose = ws.core.workstation.info().closesAt!;
    expect(Date.parse(enrolledClose)).toBeGreaterThan(Date.now());

    const onTime = await ws.must('recordScan', { barcode: barcodeOf(1), source: 'scanner' });
    expect(onTime).toMatchObject({ verdict: 'recorded' });
    await waitUpToDate(ws);
    expect(localReceipts(ws).find((r) => r.id === onTime.receiptId)).toMatchObject({ flag_kind: null, sv_outcome: 'accepted' });
    await quiet(ws);

    // The returning officer closes the election an hour ago.
    const newClose = new Date(Date.now() - HOUR).toISOString();
    const moved = await admin(server.url, 'PATCH', `/v1/admin/elections/${ELECTION}`, { json: { closesAt: newClose } });
    expect(moved).toMatchObject({ electionNumber: ELECTION, closesAt: newClose });
    // the desk still judges by the close it knows until it syncs
    expect(ws.core.workstation.info().closesAt).toBe(enrolledClose);
    expect(electionAudit(ws)).toEqual([]);

    await ws.must('syncNow', {});
    const state = await ws.must('getState', {});
    expect(state.workstation).toMatchObject({ electionNumber: ELECTION, electionName: 'Sync test election', closesAt: newClose });
    expect(electionAudit(ws)).toEqual([
      {
        actor: null,
        detail: {
          electionNumber: ELECTION,
          before: { name: 'Sync test election', closesAt: enrolledClose },
          after: { name: 'Sync test election', closesAt: newClose },
        },
      },
    ]);
    expect(workstationChanges(ws).map((e) => e.workstation.closesAt)).toEqual([newClose]);
    expect(await ws.must('verifyAudit', {})).toMatchObject({ ok: true, firstBrokenSeq: null });

    // A cycle with nothing new changes nothing and audits nothing.
    await ws.must('syncNow', {});
    expect(electionAudit(ws)).toHaveLength(1);
    expect(workstationChanges(ws)).toHaveLength(1);

    // The desk itself, not the server, flags the next envelope: it is judged before any sync.
    const late = await ws.must('recordScan', { barcode: barcodeOf(2), source: 'scanner' });
    expect(late).toMatchObject({ verdict: 'flagged', kind: 'late_return' });
    const flagged = localReceipts(ws).find((r) => r.id === late.receiptId)!;
    expect(flagged).toMatchObject({ flag_kind: 'late_return', raised_by: 'desk', sv_outcome: null });
    // the envelope received before the move keeps its verdicts, the desk's and the server's
    expect(localReceipts(ws).find((r) => r.id === onTime.receiptId)).toMatchObject({ flag_kind: null, sv_outcome: 'accepted' });

    // and the server, judging by the same close, agrees once the scan arrives
    await waitUpToDate(ws);
    expect(localReceipts(ws).find((r) => r.id === late.receiptId)).toMatchObject({ sv_outcome: 'flagged', sv_kind: 'late_return' });

    // A renamed election is taken the same way.
    await admin(server.url, 'PATCH', `/v1/admin/elections/${ELECTION}`, { json: { name: 'Sync test election (re-run)' } });
    await ws.must('syncNow', {});
    expect(ws.core.workstation.info()).toMatchObject({ electionName: 'Sync test election (re-run)', closesAt: newClose });
    expect(electionAudit(ws)).toHaveLength(2);
    await ws.close();
  });

  it('a failing GET /v1/election fails the cycle like any pull, after the scans were pushed; the next cycle adopts the close', async () => {
    const server = await serverProcess(engine);
    await setUpElection(server.url, 50, ['north']);
    const proxy = await electionFailingProxy(server.url);
    try {
      const ws = await openWorkstation();
      await enrol(ws, proxy.url, await enrolmentCode(server.url, 'north'), 'North desk 2');
      await waitUpToDate(ws);
      const enrolledClose = ws.core.workstation.info().closesAt!;

      proxy.failElection = true;
      const newClose = new Date(Date.now() - HOUR).toISOString();
      await admin(server.url, 'PATCH', `/v1/admin/elections/${ELECTION}`, { json: { closesAt: newClose } });
      const scan = await ws.must('recordScan', { barcode: barcodeOf(3), source: 'scanner' });
      expect(scan).toMatchObject({ verdict: 'recorded' });

      const status = await ws.must('syncNow', {});
      expect(status.lastError).toMatch(/HTTP 503/);
      expect(status.text).not.toBe('Up to date');
      // The push step ran before the failing pull: the scan reached the server, which judged
      // it by the close it holds, while the desk still knows only the old one.
      expect(localReceipts(ws).find((r) => r.id === scan.receiptId)).toMatchObject({ raised_by: 'server', sv_outcome: 'flagged', sv_kind: 'late_return' });
      expect(ws.core.workstation.info().closesAt).toBe(enrolledClose);
      expect(electionAudit(ws)).toEqual([]);

      proxy.failElection = false;
      await waitFor('the moved close', () => ws.core.workstation.info().closesAt === newClose, 30_000);
      await waitUpToDate(ws);
      expect(ws.status().lastError).toBeNull();
      expect(electionAudit(ws)).toHaveLength(1);
      await ws.close();
    } finally {
      await proxy.close();
    }
  });
});
