// Sync against a real central server (a child process on its embedded PostgreSQL, and on
// DATABASE_URL's PostgreSQL when that is set): enrolment, push and pull, the status words, a
// revoked device, a refused item, and two centres that scanned the same envelope while offline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/api/types';
import { DEVICE_TOKEN_SECRET } from '../../electron/main/app/sync';
import { backoffDelayMs } from '../../electron/main/app/sync/backoff';
import {
  admin,
  barcodeOf,
  cleanUp,
  enrol,
  enrolmentCode,
  ENGINES,
  localReceipts,
  openWorkstation,
  serverProcess,
  serverReceipts,
  setUpElection,
  waitFor,
  waitUpToDate,
  type ServerProcess,
} from './helpers';

afterAll(cleanUp);

describe('backoff', () => {
  it('is full jitter: between 0 and min(cap, base·2^n)', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    expect(backoffDelayMs(1, policy, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(2_000);
    expect(backoffDelayMs(20, policy, () => 0.999)).toBe(59_940);
    expect(backoffDelayMs(20, policy, () => 0)).toBe(0);
  });
});

describe.each(ENGINES)('sync with the central server on %s', (engine) => {
  let server: ServerProcess;

  it('enrols, keeps the token out of every answer and log, fills the register and pushes scans', async () => {
    server = await serverProcess(engine);
    await setUpElection(server.url, 2_000, ['north', 'south']);
    const ws = await openWorkstation();

    const notEnrolled = await ws.must('syncStatus', {});
    expect(notEnrolled.text).toBe('Offline');
    expect((await ws.call('enrol', { serverUrl: 'ftp://example.org', enrolmentCode: 'X', workstationName: 'Desk' })).ok).toBe(false);
    const bad = await ws.call('enrol', { serverUrl: server.url, enrolmentCode: 'NOT-A-CODE', workstationName: 'Desk' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/not known/);

    const code = await enrolmentCode(server.url, 'north');
    const info = await ws.must('enrol', { serverUrl: `${server.url}/`, enrolmentCode: code, workstationName: 'North desk 1' });
    expect(info).toMatchObject({ enrolled: true, centreId: 'north', electionNumber: 1022, electionName: 'Sync test election', serverUrl: server.url });
    const token = await ws.core.secretStore.get(DEVICE_TOKEN_SECRET);
    expect(token).toBeTruthy();
    // The token reaches neither the renderer (answers, push events) nor the log nor the audit log.
    const state = await ws.must('getState', {});
    const audit = ws.core.db.prepare('SELECT group_concat(detail) AS d FROM audit').get() as { d: string };
    for (const text of [JSON.stringify(info), JSON.stringify(state), JSON.stringify(ws.events), JSON.stringify(ws.logLines), audit.d]) {
      expect(text).not.toContain(token!);
    }
    expect(audit.d).toContain('"mode":"enrolled"');
    // headless host: the 0600 file
    expect(readFileSync(join(ws.dir, 'secrets.json'), 'utf8')).toContain(token!);

    await waitFor('the register copy', () => ws.core.register.rows() === 2_000);
    expect(ws.events.some((e) => e.type === 'registerProgress' && e.progress.source === 'server' && e.progress.state === 'done')).toBe(true);
    // The first cycle also reads the changes feed after the fill: while it runs the status says
    // Syncing, so wait for it to end before scanning, for the "N waiting" step to be seen.
    await waitUpToDate(ws);
    await ws.must('openBatch', { label: 'Tray 1' });

    const ids = [];
    for (let b = 1; b <= 1_200; b++) ids.push(ws.scan(barcodeOf(b)));
    ws.scan(barcodeOf(5_000)); // not in the register: the desk and the server flag it
    const before = Date.now();
    await waitUpToDate(ws);
    // triggered by the scans (about a second), not by the periodic sync
    expect(Date.now() - before).toBeLessThan(20_000);
    const status: SyncStatus = await ws.must('syncStatus', {});
    expect(status).toMatchObject({ state: 'up_to_date', waiting: 0, text: 'Up to date', lastError: null });
    expect(status.lastSuccessAt).not.toBeNull();
    const texts = ws.events.filter((e) => e.type === 'syncStatus').map((e) => (e as { status: SyncStatus }).status.text);
    expect(texts).toContain('Syncing');

    const local = localReceipts(ws);
    expect(local).toHaveLength(1_201);
    expect(local.every((r) => r.sv_outcome !== null)).toBe(true);
    expect(local.at(-1)).toMatchObject({ flag_kind: 'unknown_ballot', raised_by: 'desk', sv_kind: 'unknown_ballot' });
    // the audit chain head went to the server
    const head = ws.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'audit_head' AND sent_at IS NOT NULL").get() as { n: number };
    expect(head.n).toBeGreaterThan(0);

    // "N waiting": once the workstation is quiet (no cycle running), a scan is seen waiting
    // before the sync it triggers about a second later starts.
    await new Promise((r) => setTimeout(r, 1_500));
    await waitUpToDate(ws);
    const from = ws.events.length;
    ids.push(ws.scan(barcodeOf(1_201)));
    await waitUpToDate(ws);
    const after = ws.events.slice(from).filter((e) => e.type === 'syncStatus').map((e) => (e as { status: SyncStatus }).status.text);
    expect(after.slice(0, 2), JSON.stringify(after)).toEqual(['1 waiting', 'Syncing']);
    await ws.close();
  });

  it('refuses to enrol where the token cannot be kept safely, and says so, without spending the code', async () => {
    const why = 'No keyring is running on this Linux desktop (for example GNOME Keyring or KWallet), so the device token cannot be stored encrypted.';
    const plainTextOnly = { description: 'safeStorage (basic_text)', get: async () => null, set: async () => ({ ok: false as const, error: why }) };
    const ws = await openWorkstation({ secretStore: plainTextOnly });
    const code = await enrolmentCode(server.url, 'north');
    const refused = await ws.call('enrol', { serverUrl: server.url, enrolmentCode: code, workstationName: 'North desk 9' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain('No keyring is running');
    expect(ws.core.workstation.info().enrolled).toBe(false);
    await ws.close();
    // the code still works elsewhere
    const other = await openWorkstation();
    await enrol(other, server.url, code, 'North desk 9');
    expect(other.core.workstation.info().enrolled).toBe(true);
    await other.close();
  });

  it('a refused item is recorded against it and does not block the rest', async () => {
    const ws = await openWorkstation();
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 2');
    await waitUpToDate(ws);
    const now = new Date().toISOString();
    const insert = ws.core.db.prepare("INSERT INTO outbox (kind, ref_id, payload, created_at) VALUES ('receipt', ?, ?, ?)");
    const bogus = '00000000-0000-4000-8000-000000000001';
    insert.run(bogus, JSON.stringify({ receiptId: bogus, barcode: '1022000000001100', scannedAt: now, workstationSeq: 999, operatorId: 'x', batchId: 'y', source: 'scanner' }), now);
    const unsendable = '00000000-0000-4000-8000-000000000002';
    insert.run(unsendable, JSON.stringify({ receiptId: unsendable, barcode: barcodeOf(2), scannedAt: now, workstationSeq: 1000, operatorId: 'o'.repeat(100), batchId: 'y', source: 'scanner' }), now);
    for (let b = 1_300; b < 1_310; b++) ws.scan(barcodeOf(b));
    await ws.must('syncNow', {});
    // nothing waits, but two are refused: never "Up to date" (issue 13)
    await waitFor('2 refused', () => ws.status().text === '2 refused', 60_000, 100);
    const status: SyncStatus = ws.status();
    expect(status).toMatchObject({ waiting: 0, refused: 2 });
    expect(status.lastError).toMatch(/2 items were refused/);
    const failed = ws.core.db.prepare('SELECT ref_id, last_error FROM outbox WHERE failed = 1 ORDER BY seq').all() as Array<{ ref_id: string; last_error: string }>;
    expect(failed.map((f) => f.ref_id)).toEqual([bogus, unsendable]);
    expect(failed[0]!.last_error).toMatch(/check digits/);
    expect(localReceipts(ws).filter((r) => r.sv_outcome === 'accepted')).toHaveLength(10);
    await ws.close();
  });

  it('a revoked device stops syncing with a clear message and loses nothing; enrolling again sends the rest', async () => {
    const ws = await openWorkstation();
    await enrol(ws, server.url, await enrolmentCode(server.url, 'south'), 'South desk 1');
    await waitUpToDate(ws);
    for (let b = 1_400; b < 1_410; b++) ws.scan(barcodeOf(b));
    await waitUpToDate(ws);
    const deviceId = ws.core.workstation.deviceId()!;
    await admin(server.url, 'POST', `/v1/admin/devices/${deviceId}/revoke`);
    for (let b = 1_410; b < 1_430; b++) ws.scan(barcodeOf(b));
    const after: SyncStatus = await ws.must('syncNow', {});
    expect(after.state).toBe('stopped');
    expect(after.text).toBe('Offline');
    expect(after.lastError).toMatch(/must be enrolled again/);
    expect(after.waiting).toBe(20);
    expect(localReceipts(ws)).toHaveLength(30);
    // no retries while stopped
    const auditBefore = ws.core.audit.head().seq;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(ws.status().state).toBe('stopped');
    expect(ws.core.audit.head().seq).toBe(auditBefore);

    await ws.must('enrol', { serverUrl: server.url, enrolmentCode: await enrolmentCode(server.url, 'south'), workstationName: 'South desk 1' });
    await waitUpToDate(ws);
    expect(localReceipts(ws).every((r) => r.sv_outcome === 'accepted')).toBe(true);
    await ws.close();
  });

  it('decisions made at the desk are pushed; decisions made elsewhere are pulled', async () => {
    const a = await openWorkstation();
    const b = await openWorkstation();
    await enrol(a, server.url, await enrolmentCode(server.url, 'north'), 'North desk 4');
    await enrol(b, server.url, await enrolmentCode(server.url, 'north'), 'North desk 5');
    await waitUpToDate(a);
    await waitUpToDate(b);
    const envelope = barcodeOf(1_600);
    a.scan(envelope);
    await a.must('syncNow', {});
    const bId = b.scan(envelope);
    await b.must('syncNow', {});
    const flag = b.core.db.prepare('SELECT id, kind, raised_by FROM flags WHERE receipt_id = ?').get(bId) as { id: string; kind: string; raised_by: string };
    expect(flag).toMatchObject({ kind: 'duplicate_scan', raised_by: 'server' });
    expect(b.events.some((e) => e.type === 'flagsChanged')).toBe(true);

    // a second supervisor at desk B sets it aside: the decision goes to the server
    const sue = await b.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    await b.must('signOut', {});
    await b.must('signIn', { personId: sue.id, pin: '246801' });
    const decided = await b.must('decideFlags', { flagIds: [flag.id], decision: 'set_aside', note: 'same envelope scanned at desk 4' });
    expect(decided[0].ok).toBe(true);
    await b.must('syncNow', {});
    await waitUpToDate(b);
    const pushed = b.core.db.prepare("SELECT sent_at, failed, last_error FROM outbox WHERE kind = 'resolution'").get() as { sent_at: string | null; failed: number };
    expect(pushed).toMatchObject({ failed: 0 });
    expect(pushed.sent_at).not.toBeNull();

    // a decision on the same flag taken elsewhere (another device of the centre) comes back
    const serverFlagId = (b.core.db.prepare('SELECT server_flag_id FROM server_verdicts WHERE receipt_id = ?').get(bId) as { server_flag_id: string }).server_flag_id;
    const token = await a.core.secretStore.get(DEVICE_TOKEN_SECRET);
    const res = await fetch(`${server.url}/v1/flags/${serverFlagId}/resolution`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resolutionId: '00000000-0000-4000-8000-00000000e5c1', decision: 'escalate', note: 'returning officer to look', supervisorId: 'ro-office', decidedAt: new Date(Date.now() + 1_000).toISOString() }),
    });
    expect(res.status).toBe(200);
    await b.must('syncNow', {});
    const decisions = b.core.db.prepare('SELECT id, decision, made_here FROM decisions WHERE flag_id = ? ORDER BY decided_at').all(flag.id);
    expect(decisions).toEqual([
      { id: expect.any(String), decision: 'set_aside', made_here: 1 },
      { id: '00000000-0000-4000-8000-00000000e5c1', decision: 'escalate', made_here: 0 },
    ]);
    expect((await b.must('getFlag', { flagId: flag.id })).flag.state).toBe('escalated');
    // A decision pulled from elsewhere has its own audit entry, so the chain check stays clean.
    const audit = await b.must('verifyAudit', {});
    expect(audit).toMatchObject({ ok: true, firstBrokenSeq: null });
    await a.close();
    await b.close();
  });

  it('a member voted online: the desk flags their envelope itself and the supervisor sees the server\'s redemption time', async () => {
    const platform = (await admin<{ token: string }>(server.url, 'POST', '/v1/admin/integration-tokens')).token;
    const redeem = async (ballotNumber: number) => {
      const res = await fetch(`${server.url}/v1/online-codes/redeem`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platform}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: `C${String(ballotNumber).padStart(12, '0')}` }), // registerCsv's codes
      });
      expect(res.status).toBe(200);
    };
    // one vote the desk learns with its first register copy (GET /v1/register) ...
    await redeem(1_700);
    const ws = await openWorkstation();
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 6');
    await waitUpToDate(ws);
    // ... and one it learns afterwards, through the changes feed
    await redeem(1_701);
    await ws.must('syncNow', {});
    await waitFor('the second online vote pulled', () => ws.core.register.pack(1_701, 1)?.onlineVoted === true, 30_000);

    const receiptIds = [1_700, 1_701].map((b) => ws.scan(barcodeOf(b)));
    await ws.must('syncNow', {});
    await waitUpToDate(ws);
    const local = localReceipts(ws).filter((r) => receiptIds.includes(r.id));
    expect(local.map((r) => [r.flag_kind, r.raised_by, r.sv_kind])).toEqual([
      ['online_vote_cast', 'desk', 'online_vote_cast'],
      ['online_vote_cast', 'desk', 'online_vote_cast'],
    ]);
    const details = [];
    for (const receiptId of receiptIds) {
      const flag = ws.core.db.prepare('SELECT id FROM flags WHERE receipt_id = ?').get(receiptId) as { id: string };
      details.push(await ws.must('getFlag', { flagId: flag.id }));
    }
    const serverDetails = receiptIds.map((id) => (ws.core.db.prepare('SELECT detail FROM server_verdicts WHERE receipt_id = ?').get(id) as { detail: string }).detail);
    await ws.close();

    // the server's own record of each redemption, read from its database
    await server.kill('SIGTERM');
    const db = await server.openDb();
    const { rows } = await db.query<{ member_ref: string; redeemed_at: Date }>(
      `select member_ref, redeemed_at from members where member_ref in ('M-1700', 'M-1701') order by member_ref`,
    );
    await db.close();
    await server.start();
    const redeemedAt = rows.map((r) => r.redeemed_at.toISOString());
    expect(redeemedAt).toHaveLength(2);
    expect(details.map((d) => d.onlineVotedAt)).toEqual(redeemedAt);
    expect(serverDetails).toEqual(redeemedAt.map((at) => `the member already voted online at ${at}`));
  });

  it('two centres offline scan the same envelope: after both sync one is accepted, the other is duplicate_scan on both sides', async () => {
    const north = await openWorkstation();
    const south = await openWorkstation();
    await enrol(north, server.url, await enrolmentCode(server.url, 'north'), 'North desk 3');
    await enrol(south, server.url, await enrolmentCode(server.url, 'south'), 'South desk 2');
    await waitUpToDate(north);
    await waitUpToDate(south);

    await server.kill();
    const envelope = barcodeOf(1_500);
    const northId = north.scan(envelope);
    const southId = south.scan(envelope);
    await waitFor('Offline', () => north.status().text === 'Offline' && south.status().text === 'Offline', 30_000);
    expect(north.status().lastError).toMatch(/^The central server could not be reached: /);
    expect(north.status().waiting).toBe(1);

    await server.start();
    // Both desks retry on their own once the server is back: whichever arrives first is accepted.
    await north.must('syncNow', {});
    await waitUpToDate(north);
    await south.must('syncNow', {});
    await waitUpToDate(south);
    for (const ws of [north, south]) await ws.must('syncNow', {}); // each learns of the other's copy from the changes feed

    const n = localReceipts(north).find((r) => r.id === northId)!;
    const s = localReceipts(south).find((r) => r.id === southId)!;
    const [first, second] = n.sv_outcome === 'accepted' ? [{ ws: north, local: n }, { ws: south, local: s }] : [{ ws: south, local: s }, { ws: north, local: n }];
    expect(first.local).toMatchObject({ flag_kind: null, sv_outcome: 'accepted' });
    expect(second.local).toMatchObject({ flag_kind: 'duplicate_scan', raised_by: 'server', sv_outcome: 'flagged', sv_kind: 'duplicate_scan' });
    const remote = first.ws.core.db.prepare('SELECT receipt_id FROM remote_receipts WHERE barcode = ?').all(envelope) as Array<{ receipt_id: string }>;
    expect(remote.map((r) => r.receipt_id)).toEqual([second.local.id]);
    // and a third scan of it at the first desk is now flagged by the desk itself, offline
    await server.kill();
    const again = first.ws.core.receipts.record(
      { raw: envelope, source: 'scanner' },
      { operatorId: first.ws.operatorId, now: new Date(Date.now() + 60_000), electionNumber: 1022, closesAt: null, repeatWindowMs: 10_000 },
    );
    expect(again).toMatchObject({ verdict: 'flagged', kind: 'duplicate_scan' });
    await north.close();
    await south.close();
    await server.start();

    await server.kill('SIGTERM');
    const db = await server.openDb();
    const rows = (await serverReceipts(db)).filter((r) => r.barcode === envelope);
    await db.close();
    // (in either order: the two desks' batches may reach the server in the same instant)
    expect(new Map(rows.map((r) => [r.receipt_id, [r.outcome, r.kind]]))).toEqual(
      new Map([
        [first.local.id, ['accepted', null]],
        [second.local.id, ['flagged', 'duplicate_scan']],
      ]),
    );
    expect(rows).toHaveLength(2);
  });
});
