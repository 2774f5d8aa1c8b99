// Issue 13, the witnessed head: a desk's newest history is cut (the app stopped, its triggers
// dropped, the last receipts, their outbox rows and the tail of the audit log deleted). What is
// left is a chain that verifies end to end — only the head the central server witnessed shows
// the cut. It is found at start-up (from the server when it answers; from the copy kept here
// when it does not), by Verify, and by the server's 409 audit_history_rewritten, each reported
// as history removed after the server witnessed it, naming the witnessed entry and time.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppState, AuditStatus } from '../../shared/api/types';
import type { AppLog } from '../../electron/main/app/app.types';
import { verifyAuditChain } from '../../electron/main/app/audit/verify';
import type { WitnessedHead } from '../../electron/main/app/audit/witness-guard';
import { openDatabase } from '../../electron/main/app/db/open';
import { DATABASE_FILE, openApp } from '../../electron/main/app/index';
import { fileSecretStore } from '../../electron/main/host/file-secret-store';
import { CALM, startFaultProxy } from './fault-proxy';
import { barcodeOf, cleanUp, enrol, enrolmentCode, openWorkstation, serverProcess, setUpElection, waitFor, waitUpToDate, type Workstation } from './helpers';

afterAll(cleanUp);

const log: AppLog = { info() {}, warn() {}, error() {} };
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** A desk that scanned `n` envelopes and synced: the server witnessed its head. */
async function witnessedDesk(serverUrl: string, name: string, first: number, n = 30): Promise<{ ws: Workstation; witnessed: WitnessedHead }> {
  const ws = await openWorkstation();
  await enrol(ws, serverUrl, await enrolmentCode(serverUrl, 'north'), name);
  await waitUpToDate(ws);
  for (let b = first; b < first + n; b++) ws.scan(barcodeOf(b));
  await waitUpToDate(ws);
  await ws.must('syncNow', {});
  await ws.engine.whenIdle();
  const witnessed = ws.core.witness.kept()!;
  expect(witnessed.seq).toBeGreaterThan(n);
  return { ws, witnessed };
}

/** What someone with the file and the app stopped can do: a clean cut of the newest history. */
function cutHistory(dir: string, receipts: number, options: { forgetWitnessed: boolean }): void {
  const db = new Database(join(dir, DATABASE_FILE));
  db.exec('DROP TRIGGER audit_no_delete; DROP TRIGGER receipts_no_delete;');
  const cut = db.prepare('SELECT id FROM receipts ORDER BY seq DESC LIMIT ?').pluck().all(receipts) as string[];
  const firstEntry = Math.min(
    ...cut.map((id) => db.prepare("SELECT seq FROM audit WHERE event = 'scan.recorded' AND json_extract(detail, '$.receiptId') = ?").pluck().get(id) as number),
  );
  const ids = JSON.stringify(cut);
  db.transaction(() => {
    db.prepare('DELETE FROM server_verdicts WHERE receipt_id IN (SELECT value FROM json_each(?))').run(ids);
    db.prepare('DELETE FROM outbox WHERE ref_id IN (SELECT value FROM json_each(?))').run(ids);
    db.prepare('DELETE FROM receipts WHERE id IN (SELECT value FROM json_each(?))').run(ids);
    db.prepare('DELETE FROM audit WHERE seq >= ?').run(firstEntry);
    if (options.forgetWitnessed) db.exec('DELETE FROM witnessed_heads');
  })();
  db.close();
  // the chain that is left verifies: nothing but the witnessed head can show the cut
  const check = openDatabase(join(dir, DATABASE_FILE));
  if (!check.ok) throw new Error(check.error.message);
  expect(verifyAuditChain(check.value)).toMatchObject({ ok: true, firstBrokenSeq: null });
  check.value.close();
}

const removedWords = (w: WitnessedHead) =>
  `history was removed after the central server witnessed it: the server witnessed entry ${w.seq} of this desk's audit log at ${when(w.witnessedAt)}, but the log here ends at entry `;

async function stateOf(app: { dispatch(name: string, input: unknown): Promise<unknown> }): Promise<AppState> {
  const r = (await app.dispatch('getState', {})) as { ok: true; value: AppState };
  return r.value;
}

describe('the witnessed head', () => {
  it('a cut is found at start-up when the server answers and by Verify; the rewritten chain is never witnessed', { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 200, ['north']);
    const { ws, witnessed } = await witnessedDesk(server.url, 'North desk 1', 1);
    const dir = ws.dir;
    await ws.close();
    // a thorough cut: the copy of the witnessed head kept here goes too
    cutHistory(dir, 5, { forgetWitnessed: true });

    const opened = await openApp({ dataDir: dir, secretStore: fileSecretStore(dir), log });
    if (!opened.ok) throw new Error(opened.error.message);
    const app = opened.value;
    const pushed: AuditStatus[] = [];
    app.subscribe((e) => e.type === 'auditStatus' && pushed.push(e.audit));
    // the server is asked in the first sync after start
    let audit: AuditStatus | null = null;
    await waitFor('the start-up check against the server', async () => !(audit = (await stateOf(app)).audit).ok, 60_000, 100);
    expect(audit).toMatchObject({ ok: false, firstBrokenSeq: witnessed.seq, witnessed: { seq: witnessed.seq, source: 'server', contained: false } });
    expect(audit!.problem).toContain(removedWords(witnessed));
    expect(pushed.at(-1)).toMatchObject({ ok: false });
    await app.close();

    // Verify, with the server answering
    const again = await openWorkstation({ dir });
    const verified: AuditStatus = await again.must('verifyAudit', {});
    expect(verified).toMatchObject({ ok: false, firstBrokenSeq: witnessed.seq, witnessed: { source: 'server', contained: false } });
    expect(verified.problem).toContain(removedWords(witnessed));
    // The desk goes on past the witnessed entry: its rewritten chain is never offered for
    // witnessing, so the server's witnessed head stays where it was, and the check still fails.
    if (!again.core.batches.openBatch()) await again.must('openBatch', { label: 'After the cut' });
    for (let b = 150; b < 170; b++) again.scan(barcodeOf(b));
    await again.must('syncNow', {});
    await again.must('syncNow', {});
    expect(again.core.audit.head().seq).toBeGreaterThan(witnessed.seq);
    expect(await again.engine.checkWitnessedHead()).toMatchObject({ seq: witnessed.seq, contained: false });
    expect(await again.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: witnessed.seq });
    expect((await again.must('listAudit', { event: 'audit.history_rewritten', offset: 0, limit: 10 })).total).toBeGreaterThan(0);
    expect(again.status()).toMatchObject({ text: 'Up to date' }); // the receipts still reach the server
    await again.close();
  });

  it("the server's 409 audit_history_rewritten is shown the same way", { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 200, ['north']);
    const proxy = await startFaultProxy(server.url, CALM);
    const { ws, witnessed } = await witnessedDesk(proxy.url, 'North desk 4', 1);
    const dir = ws.dir;
    await ws.close();
    cutHistory(dir, 5, { forgetWitnessed: true });
    // a server that cannot say what it witnessed (as one older than GET /v1/audit-heads/latest): the desk sends its head
    proxy.setOverride((r) =>
      r.path === '/v1/audit-heads/latest'
        ? { answer: { status: 404, type: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, detail: 'no route', error: 'not_found' }) } }
        : undefined,
    );
    const again = await openWorkstation({ dir });
    await waitFor('the 409', async () => !(await again.must('getState', {})).audit.ok, 60_000, 100);
    const audit: AuditStatus = (await again.must('getState', {})).audit;
    expect(audit.problem).toContain(
      `history was removed or rewritten after the central server witnessed it; the central server says: this workstation's audit history was removed or rewritten after the server witnessed seq ${witnessed.seq}`,
    );
    const heads = again.core.db.prepare("SELECT last_error FROM outbox WHERE kind = 'audit_head' AND failed = 1").pluck().all() as string[];
    expect(heads).toHaveLength(1);
    expect(again.events.some((e) => e.type === 'auditStatus' && !e.audit.ok)).toBe(true);
    await again.close();
    await proxy.close();
  });

  it('offline at start-up, the kept copy finds the cut; an honest restart checks out', { timeout: 180_000 }, async () => {
    const server = await serverProcess();
    await setUpElection(server.url, 200, ['north']);
    const honest = await witnessedDesk(server.url, 'North desk 2', 1);
    const cut = await witnessedDesk(server.url, 'North desk 3', 100);
    for (const d of [honest, cut]) await d.ws.close();
    cutHistory(cut.ws.dir, 3, { forgetWitnessed: false });
    await server.kill();

    const honestApp = await openApp({ dataDir: honest.ws.dir, secretStore: fileSecretStore(honest.ws.dir), log });
    if (!honestApp.ok) throw new Error(honestApp.error.message);
    expect((await stateOf(honestApp.value)).audit).toMatchObject({ ok: true, witnessed: { seq: honest.witnessed.seq, source: 'kept', contained: true } });
    await honestApp.value.close();

    const cutApp = await openApp({ dataDir: cut.ws.dir, secretStore: fileSecretStore(cut.ws.dir), log });
    if (!cutApp.ok) throw new Error(cutApp.error.message);
    const audit = (await stateOf(cutApp.value)).audit;
    expect(audit).toMatchObject({ ok: false, firstBrokenSeq: cut.witnessed.seq, witnessed: { source: 'kept', contained: false } });
    expect(audit.problem).toContain(`the server witnessed entry ${cut.witnessed.seq} of this desk's audit log at ${when(cut.witnessed.witnessedAt)}`);
    await cutApp.value.close();
  });
});
