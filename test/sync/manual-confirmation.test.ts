// Issue 15, item 3, through a real central server: a manual entry confirmed at the desk by a
// supervisor other than the operator reaches the server with ReceiptIn.confirmedBy (stored in
// receipts.confirmed_by), and deactivates the member's online code like a scan.
import { afterAll, describe, expect, it } from 'vitest';
import { admin, barcodeOf, cleanUp, enrol, enrolmentCode, openWorkstation, serverProcess, setUpElection, waitFor, waitUpToDate } from './helpers';

afterAll(cleanUp);

const codeOf = (ballotNumber: number) => `C${String(ballotNumber).padStart(12, '0')}`; // registerCsv's codes

describe('a confirmed manual entry at the server', () => {
  it('carries its confirmer, and the online code is deactivated', { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 20, ['north']);
    const platform = (await admin<{ token: string }>(server.url, 'POST', '/v1/admin/integration-tokens')).token;
    const ws = await openWorkstation(); // Sam, a supervisor, is signed in: he is the operator here
    const sue = await ws.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
    await waitFor('the register copy', () => ws.core.register.rows() === 20);
    await waitUpToDate(ws);

    const typed = barcodeOf(7);
    const v = await ws.must('recordManualEntry', { barcode: typed, repeatBarcode: typed, reason: 'barcode torn', confirmation: { supervisorId: sue.id, pin: '246801' } });
    expect(v.verdict).toBe('recorded');
    await waitUpToDate(ws);

    const db = await server.openDb();
    try {
      const { rows } = await db.query<{ source: string; operator_id: string; confirmed_by: string | null }>(
        'select source, operator_id, confirmed_by from receipts where receipt_id = $1',
        [v.receiptId],
      );
      expect(rows).toEqual([{ source: 'manual', operator_id: ws.operatorId, confirmed_by: sue.id }]);
    } finally {
      await db.close();
    }
    const redeemed = await fetch(`${server.url}/v1/online-codes/redeem`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platform}`, 'content-type': 'application/json' },
      body: JSON.stringify({ code: codeOf(7) }),
    });
    expect({ status: redeemed.status, body: await redeemed.json() }).toEqual({ status: 409, body: expect.objectContaining({ error: 'postal_ballot_received' }) });
    await ws.close();
    await server.kill();
  });
});
