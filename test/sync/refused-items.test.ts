// Issue 13: nothing is hidden, and only the server's own word refuses. A web filter's 403 or
// 404 page on a decision is not a refusal: the decision waits and the status says why in words.
// What a (buggy, since mended) server did refuse is counted in Sync status ("N refused"),
// listed for supervisors with its words, and sent again on request (audited): it then reaches
// the server, and a refused decision counts again once accepted. Items an older desk marked
// refused on a proxy's page are sent again at start.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RefusedItem, SyncStatus } from '../../shared/api/types';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';
import { CALM, startFaultProxy } from './fault-proxy';
import { barcodeOf, cleanUp, ELECTION, enrol, enrolmentCode, openWorkstation, serverProcess, setUpElection, waitFor, waitUpToDate, type Workstation } from './helpers';

afterAll(cleanUp);

const RESOLUTION = /^\/v1\/flags\/[^/]+\/resolution$/;
const problem = (status: number, error: string, detail: string) => ({
  answer: { status, type: 'application/problem+json', body: JSON.stringify({ type: `urn:ballot-intake:problem:${error}`, title: 'T', status, detail, error }) },
});

async function asSue<T>(ws: Workstation, sue: { id: string }, fn: () => Promise<T>): Promise<T> {
  ws.core.session.start({ personId: sue.id, name: 'Sue', role: 'supervisor' }, ws.core.now());
  try {
    return await fn();
  } finally {
    ws.core.session.start({ personId: ws.operatorId, name: 'Sam', role: 'supervisor' }, ws.core.now());
  }
}

async function onServer(server: { openDb(): Promise<{ query<T>(sql: string, p?: unknown[]): Promise<{ rows: T[] }>; close(): Promise<void> }> }, table: 'receipts' | 'resolutions', ids: string[]): Promise<number> {
  const db = await server.openDb();
  const column = table === 'receipts' ? 'receipt_id' : 'resolution_id';
  const { rows } = await db.query<{ n: string }>(`select count(*)::text as n from ${table} where ${column} = any($1::uuid[])`, [ids]);
  await db.close();
  return Number(rows[0]!.n);
}

describe('refused items', () => {
  it("a proxy's 403 or 404 on a decision is no refusal; what the server refused is counted, listed and sent again", { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 100, ['north']);
    const proxy = await startFaultProxy(server.url, CALM);
    const ws = await openWorkstation();
    await enrol(ws, proxy.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
    await waitUpToDate(ws);
    const sue = await ws.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    const flagged = await ws.must('recordScan', { barcode: encodeBarcode(ELECTION, 900, 1), source: 'scanner' }); // not on the register
    await waitUpToDate(ws);

    // A web filter answers the decision with its own pages: the decision waits, the flag stays decided.
    for (const [i, fault] of (['html403', 'html404'] as const).entries()) {
      proxy.setOverride((r) => (r.method === 'POST' && RESOLUTION.test(r.path) ? { fault } : undefined));
      await asSue(ws, sue, () => ws.must('decideFlags', { flagIds: [flagged.flagId], decision: 'set_aside', note: `decided behind a ${fault}` }));
      const status: SyncStatus = await ws.must('syncNow', {});
      expect(status).toMatchObject({ waiting: i + 1, refused: 0 });
      expect(status.text).not.toContain('Up to date');
      expect(status.lastError).toContain(`The central server could not be reached: a proxy answered ${fault.slice(4)} with a web page`);
      expect((await asSue(ws, sue, () => ws.must('getFlag', { flagId: flagged.flagId }))).flag.state).toBe('decided');
    }
    expect(ws.core.db.prepare('SELECT count(*) AS n FROM decision_refusals').get()).toEqual({ n: 0 });
    proxy.setOverride(null);
    await waitUpToDate(ws);
    const decisionIds = ws.core.db.prepare('SELECT id FROM decisions WHERE flag_id = ? ORDER BY rowid').pluck().all(flagged.flagId) as string[];
    expect(await onServer(server, 'resolutions', decisionIds)).toBe(2);

    // A server that wrongly refuses receipts (since mended), and a decision.
    proxy.setOverride((r) => (r.path === '/v1/receipts' ? problem(400, 'invalid_request', 'invalid request body: receipts.0.batchId: too long') : undefined));
    const refusedScans = [barcodeOf(5), barcodeOf(6)].map((b) => ws.scan(b));
    await ws.must('syncNow', {});
    // the receipts of 5 and 6 stay refused; 901's receipt goes, then its decision is refused
    proxy.setOverride((r) => (RESOLUTION.test(r.path) ? problem(409, 'member_vote_counted', 'another envelope of this member is already counted') : undefined));
    const second = await ws.must('recordScan', { barcode: encodeBarcode(ELECTION, 901, 1), source: 'scanner' });
    await ws.must('syncNow', {});
    await asSue(ws, sue, () => ws.must('decideFlags', { flagIds: [second.flagId], decision: 'count', note: 'this one counts' }));
    await ws.must('syncNow', {});
    await waitFor('3 refused', () => ws.status().text === '3 refused', 30_000, 100);
    expect(ws.status().lastError).toMatch(/3 items were refused by the server \(latest: decision refused by the server: another envelope of this member is already counted\)/);
    expect((await asSue(ws, sue, () => ws.must('getFlag', { flagId: second.flagId }))).flag.state).toBe('open');

    const listed: RefusedItem[] = await asSue(ws, sue, () => ws.must('listRefused', {}));
    expect(listed.map((i) => [i.kind, i.display, i.reason])).toEqual([
      ['receipt', formatBarcode(barcodeOf(5)), 'refused by the server: invalid request body: receipts.0.batchId: too long'],
      ['receipt', formatBarcode(barcodeOf(6)), 'refused by the server: invalid request body: receipts.0.batchId: too long'],
      ['decision', formatBarcode(encodeBarcode(ELECTION, 901, 1)), 'decision refused by the server: another envelope of this member is already counted'],
    ]);
    // The server is mended: Sue sends them all again.
    proxy.setOverride(null);
    const resent = await asSue(ws, sue, () => ws.must('resendRefused', { outboxSeqs: listed.map((i) => i.outboxSeq) }));
    expect(resent.resent).toBe(3);
    expect(resent.status.text).not.toContain('Up to date');
    await waitUpToDate(ws);
    expect(ws.status()).toMatchObject({ refused: 0, waiting: 0 });
    expect(await onServer(server, 'receipts', refusedScans)).toBe(2);
    const countId = ws.core.db.prepare("SELECT id FROM decisions WHERE flag_id = ? AND decision = 'count'").pluck().get(second.flagId) as string;
    expect(await onServer(server, 'resolutions', [countId])).toBe(1);
    // the refused decision counts again, once the server took it
    expect((await asSue(ws, sue, () => ws.must('getFlag', { flagId: second.flagId }))).flag).toMatchObject({ state: 'decided', decision: 'count' });
    // the export keeps the refusal (never taken back) and says when it was lifted
    const csv = await asSue(ws, sue, () => ws.must('exportData', { what: 'flags_csv' }));
    const countLine = readFileSync(ws.core.exports.file(csv.exportId)!.path, 'utf8').split('\r\n').filter((l) => l.includes(`,${countId},`));
    expect(countLine).toEqual([expect.stringMatching(/,count,.*,another envelope of this member is already counted,\d{4}-\d\d-\d\dT[^,]+Z$/)]);
    const audit = await asSue(ws, sue, () => ws.must('listAudit', { event: 'sync.resent', offset: 0, limit: 5 }));
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor: sue.id, detail: { receipts: refusedScans, decisions: [countId] } });
    expect((await asSue(ws, sue, () => ws.must('listAudit', { event: 'flag.decision_accepted', offset: 0, limit: 5 }))).total).toBe(1);
    expect(await asSue(ws, sue, () => ws.must('verifyAudit', {}))).toMatchObject({ ok: true });
    await ws.close();
    await proxy.close();
  });

  it('receipts an older desk marked refused on a proxy page are sent again at start', { timeout: 120_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 100, ['north']);
    const ws = await openWorkstation();
    await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 2');
    await waitUpToDate(ws);
    await ws.engine.stop();
    const ids = [barcodeOf(10), barcodeOf(11), barcodeOf(12)].map((b) => ws.scan(b));
    // what the older engine wrote when a proxy answered 404 with its page
    ws.core.db.prepare("UPDATE outbox SET failed = 1, last_error = 'refused by the server: HTTP 404' WHERE kind = 'receipt' AND sent_at IS NULL").run();
    const dir = ws.dir;
    await ws.close();
    const again = await openWorkstation({ dir });
    await waitUpToDate(again);
    expect(await onServer(server, 'receipts', ids)).toBe(3);
    const audit = (await again.must('listAudit', { event: 'sync.resent', offset: 0, limit: 5 })).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: null, detail: { receipts: ids } });
    await again.close();
  });
});
