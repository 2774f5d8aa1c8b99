// Issue 13, the operator's verdict binds (the desk's part): a receipt the desk flagged goes with
// deskFlag, the server flags it too, and the supervisor's decision on the desk's flag reaches the
// server's flag. A desk offline with a stale register copy flags a reissued pack the server would
// have accepted; the supervisor sets it aside; after sync the member's online code is still
// active. Where the server's verdict differs from the desk's, both are shown. And a flag's
// current decision at the desk follows the server's commit order, even when the desk's clock was
// corrected between two decisions.
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { formatBarcode } from '../../shared/barcode/barcode';
import { CALM, startFaultProxy } from './fault-proxy';
import { admin, cleanUp, ELECTION, enrol, enrolmentCode, openWorkstation, serverProcess, setUpElection, waitFor, waitUpToDate, type Workstation } from './helpers';

afterAll(cleanUp);

const codeOf = (ballotNumber: number) => `C${String(ballotNumber).padStart(12, '0')}`; // registerCsv's codes

async function redeem(serverUrl: string, token: string, ballotNumber: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${serverUrl}/v1/online-codes/redeem`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: codeOf(ballotNumber) }),
  });
  return { status: res.status, body: await res.json() };
}

async function asSue<T>(ws: Workstation, sue: { id: string }, fn: () => Promise<T>): Promise<T> {
  ws.core.session.start({ personId: sue.id, name: 'Sue', role: 'supervisor' }, ws.core.now());
  try {
    return await fn();
  } finally {
    ws.core.session.start({ personId: ws.operatorId, name: 'Sam', role: 'supervisor' }, ws.core.now());
  }
}

describe("the operator's verdict binds at the server", () => {
  it('a stale register copy: the desk flags a reissued pack, the supervisor sets it aside, the online code stays active', { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 50, ['north']);
    const platform = (await admin<{ token: string }>(server.url, 'POST', '/v1/admin/integration-tokens')).token;
    const proxy = await startFaultProxy(server.url, CALM);
    const ws = await openWorkstation();
    await enrol(ws, proxy.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
    await waitUpToDate(ws);
    const sue = await ws.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });

    // The desk goes offline; meanwhile members 10 and 20 get replacement packs, and member 20 votes online.
    proxy.setFaults({ ...CALM, drop: 1 });
    await waitFor('Offline', async () => (await ws.must('syncNow', {})).text === 'Offline', 30_000, 200);
    const reissue = ['ballot_number,issue,status,member_ref,online_code', `10,1,superseded,M-10,`, `10,2,issued,M-10,${codeOf(10)}`, `20,1,superseded,M-20,`, `20,2,issued,M-20,${codeOf(20)}`].join('\n') + '\n';
    await admin(server.url, 'POST', `/v1/admin/elections/${ELECTION}/register`, { csv: reissue });
    expect((await redeem(server.url, platform, 20)).status).toBe(200);

    // The desk's copy does not know the new packs: it flags them, the operator sets them aside.
    const r10 = await ws.must('recordScan', { barcode: encodeBarcode(ELECTION, 10, 2), source: 'scanner' });
    const r20 = await ws.must('recordScan', { barcode: encodeBarcode(ELECTION, 20, 2), source: 'scanner' });
    expect([r10.verdict, r10.kind, r20.verdict, r20.kind]).toEqual(['flagged', 'unknown_ballot', 'flagged', 'unknown_ballot']);
    const decided = await asSue(ws, sue, () => ws.must('decideFlags', { flagIds: [r10.flagId, r20.flagId], decision: 'set_aside', note: 'kept aside: not on our register copy' }));
    expect(decided.every((d: { ok: boolean }) => d.ok)).toBe(true);

    proxy.setFaults(CALM);
    await waitUpToDate(ws);
    await ws.must('syncNow', {});

    // The server flagged both (its own kind where it found one, else the desk's), and has the decisions on its flags.
    const db = await server.openDb();
    const onServer = (
      await db.query<{ receipt_id: string; outcome: string; kind: string | null; flag_id: string | null }>(
        `select r.receipt_id::text, r.outcome, f.kind, f.flag_id::text from receipts r left join flags f on f.flag_id = r.flag_id where r.receipt_id = any($1::uuid[]) order by r.workstation_seq`,
        [[r10.receiptId, r20.receiptId]],
      )
    ).rows;
    expect(onServer.map((r) => [r.outcome, r.kind])).toEqual([
      ['flagged', 'unknown_ballot'],
      ['flagged', 'online_vote_cast'],
    ]);
    const resolutions = (await db.query<{ flag_id: string; decision: string }>(`select flag_id::text, decision from resolutions where flag_id = any($1::uuid[])`, [onServer.map((r) => r.flag_id)])).rows;
    expect(resolutions.map((r) => r.decision)).toEqual(['set_aside', 'set_aside']);
    await db.close();

    // Member 10's envelope is set aside: their online code was never deactivated.
    expect(await redeem(server.url, platform, 10)).toEqual({ status: 200, body: { status: 'redeemed', memberRef: 'M-10' } });

    // Both verdicts shown where they differ.
    const rows = await asSue(ws, sue, () => ws.must('listFlags', { offset: 0, limit: 10 }));
    const row20 = rows.rows.find((r: { flagId: string }) => r.flagId === r20.flagId);
    expect(row20).toMatchObject({ display: formatBarcode(encodeBarcode(ELECTION, 20, 2)), deskVerdict: { outcome: 'flagged', kind: 'unknown_ballot', error: null }, serverVerdict: { outcome: 'flagged', kind: 'online_vote_cast', error: null }, decision: 'set_aside' });
    await ws.close();
    await proxy.close();
  });

  it("a flag's current decision follows the server's commit order, not the desk's clock", { timeout: 120_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 50, ['north']);
    let ahead = 0; // the desk's clock against the real one
    const ws = await openWorkstation({ now: () => new Date(Date.now() + ahead) });
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 2');
    await waitUpToDate(ws);
    const sue = await ws.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    const scanned = await ws.must('recordScan', { barcode: encodeBarcode(ELECTION, 999, 1), source: 'scanner' }); // not on the register
    await waitUpToDate(ws);

    // Sue escalates while the clock is 30 minutes fast; the clock is corrected; she sets it aside.
    ahead = 30 * 60_000;
    await asSue(ws, sue, () => ws.must('decideFlags', { flagIds: [scanned.flagId], decision: 'escalate', note: 'ask the returning officer' }));
    await ws.must('syncNow', {});
    ahead = 0;
    await asSue(ws, sue, () => ws.must('decideFlags', { flagIds: [scanned.flagId], decision: 'set_aside', note: 'the returning officer says set it aside' }));
    // waiting here: the later decision is current, though its time reads earlier
    expect((await asSue(ws, sue, () => ws.must('getFlag', { flagId: scanned.flagId }))).flag).toMatchObject({ decision: 'set_aside', state: 'decided' });
    await ws.must('syncNow', {});
    await waitUpToDate(ws);

    const order = ws.core.db
      .prepare('SELECT d.decision, so.server_seq FROM decisions d JOIN decision_server_order so ON so.decision_id = d.id WHERE d.flag_id = ? ORDER BY so.server_seq')
      .all(scanned.flagId) as Array<{ decision: string; server_seq: number }>;
    expect(order.map((o) => o.decision)).toEqual(['escalate', 'set_aside']);
    expect(order.every((o) => Number.isInteger(o.server_seq))).toBe(true);
    const detail = await asSue(ws, sue, () => ws.must('getFlag', { flagId: scanned.flagId }));
    expect(detail.flag).toMatchObject({ decision: 'set_aside', state: 'decided' });
    // the server agrees
    const summary = await ws.engine.centreSummary();
    expect(summary.ok && summary.value.decisionsByKind).toMatchObject({ set_aside: 1, escalate: 0 });
    await ws.close();
  });
});
