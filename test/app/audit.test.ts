// The audit log: tamper evidence (changed receipts, deleted or edited entries, records without
// entries), the check on start, search, and that the fast hash equals the canonical one.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { canonicalJson, entryHash } from '../../electron/main/app/audit/log';
import { verifyAuditOffThread } from '../../electron/main/app/audit/verify-runner';
import { verifyAuditChain } from '../../electron/main/app/audit/verify';
import { dayAtTheCentre, ELECTION, HEADER, quietLog, registerRow, startApp, SUPERVISOR_PIN, signInAs, type TestApp } from './helpers';

const dbPath = (t: TestApp) => join(t.dir, 'ballot-intake.sqlite');

/** An outside connection that has dropped the append-only triggers, as an attacker's would. */
function tamper(t: TestApp, sql: string, ...params: unknown[]): void {
  const db = new Database(dbPath(t));
  for (const trig of ['audit_no_update', 'audit_no_delete', 'receipts_no_update', 'receipts_no_delete', 'decisions_no_update', 'decisions_no_delete', 'flags_no_delete'])
    db.exec(`DROP TRIGGER IF EXISTS ${trig}`);
  db.prepare(sql).run(...params);
  db.close();
}

function auditSeqOf(t: TestApp, event: string, key: string, value: string): number {
  const db = new Database(dbPath(t), { readonly: true });
  const row = db.prepare(`SELECT seq FROM audit WHERE event = ? AND json_extract(detail, '$.' || ?) = ?`).get(event, key, value) as { seq: number };
  db.close();
  return row.seq;
}

async function scannedDay() {
  const t = await startApp();
  const people = await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') + registerRow(2, 1, 'issued', 'M-2') + registerRow(3, 1, 'issued', 'M-3') });
  await t.must('openBatch', { label: 'T1' });
  const receipts = [];
  for (const b of [1, 2, 3, 4]) receipts.push(await t.must('recordScan', { barcode: encodeBarcode(ELECTION, b, 1), source: 'scanner' }));
  await signInAs(t, people.sueId, SUPERVISOR_PIN);
  await t.must('decideFlags', { flagIds: [receipts[3].flagId], decision: 'set_aside', note: 'unknown' });
  return { t, people, receipts };
}

describe('audit log', () => {
  it('an untouched day verifies, and the check is recorded', async () => {
    const { t } = await scannedDay();
    const status = await t.must('verifyAudit', {});
    expect(status).toMatchObject({ ok: true, firstBrokenSeq: null });
    expect(status.entries).toBeGreaterThan(10);
    expect((await t.must('listAudit', { event: 'audit.verified', offset: 0, limit: 5 })).total).toBe(1);
  });

  it('names the seq of a receipt changed from outside', async () => {
    const { t, receipts } = await scannedDay();
    const seq = auditSeqOf(t, 'scan.recorded', 'receiptId', receipts[1].receiptId);
    tamper(t, 'UPDATE receipts SET batch_id = batch_id, position = 99 WHERE id = ?', receipts[1].receiptId);
    expect(await t.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: seq, problem: expect.stringContaining('position') });
    // the same answer from the worker threads the app uses for long logs
    const db = new Database(dbPath(t), { readonly: true });
    expect(await verifyAuditOffThread(db, { inThreadBelow: 0 })).toMatchObject({ ok: false, firstBrokenSeq: seq, problem: expect.stringContaining('position') });
    db.close();
  });

  it('names the seq of a receipt whose barcode was changed, or that was deleted', async () => {
    const { t, receipts } = await scannedDay();
    const seq0 = auditSeqOf(t, 'scan.recorded', 'receiptId', receipts[0].receiptId);
    tamper(t, "UPDATE receipts SET barcode = ?, ballot_number = 9 WHERE id = ?", encodeBarcode(ELECTION, 9, 1), receipts[0].receiptId);
    expect((await t.must('verifyAudit', {})).firstBrokenSeq).toBe(seq0);
    const { t: t2, receipts: r2 } = await scannedDay();
    const seq2 = auditSeqOf(t2, 'scan.recorded', 'receiptId', r2[2].receiptId);
    tamper(t2, 'DELETE FROM flags WHERE receipt_id = ?', r2[2].receiptId);
    tamper(t2, 'DELETE FROM receipts WHERE id = ?', r2[2].receiptId);
    expect(await t2.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: seq2, problem: expect.stringContaining('missing') });
  });

  it('names a deleted audit entry, an edited detail, and a decision without its entry', async () => {
    const { t, receipts } = await scannedDay();
    tamper(t, 'DELETE FROM audit WHERE seq = 7');
    expect(await t.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: 7, problem: 'entry 7 is missing' });
    const db = new Database(dbPath(t), { readonly: true });
    expect(await verifyAuditOffThread(db, { inThreadBelow: 0 })).toMatchObject({ ok: false, firstBrokenSeq: 7 });
    db.close();

    const { t: t2 } = await scannedDay();
    tamper(t2, `UPDATE audit SET detail = json_set(detail, '$.label', 'T9') WHERE event = 'batch.opened'`);
    const seq = auditSeqOf(t2, 'batch.opened', 'label', 'T9');
    expect(await t2.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: seq, problem: `entry ${seq} was changed after it was written` });

    const { t: t3, receipts: r3 } = await scannedDay();
    const decisionSeq = auditSeqOf(t3, 'flag.decided', 'flagId', r3[3].flagId);
    tamper(t3, "UPDATE decisions SET decision = 'count'");
    expect(await t3.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: decisionSeq });
    void receipts;
  });

  it('a receipt inserted from outside has no entry, and is reported', async () => {
    const { t, receipts } = await scannedDay();
    const db = new Database(dbPath(t));
    const r = db.prepare('SELECT * FROM receipts WHERE id = ?').get(receipts[0].receiptId) as Record<string, unknown>;
    db.prepare(
      `INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, member_ref, scanned_at, operator_id, batch_id, position, source, desk_outcome)
       VALUES ('forged', 99, ?, ?, 5, 1, NULL, ?, ?, ?, 50, 'scanner', 'accepted')`,
    ).run(encodeBarcode(ELECTION, 5, 1), ELECTION, r.scanned_at, r.operator_id, r.batch_id);
    db.close();
    const status = await t.must('verifyAudit', {});
    expect(status.ok).toBe(false);
    expect(status.problem).toContain('forged');
  });

  it('checks on start: a broken chain shows in getState and the log', async () => {
    const { t } = await scannedDay();
    await t.close();
    tamper(t, 'DELETE FROM audit WHERE seq = 3');
    quietLog.errors.length = 0;
    const again = await startApp({ dir: t.dir });
    const state = await again.must('getState', {});
    expect(state.audit).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    expect(quietLog.errors[0]).toMatchObject({ message: 'audit chain broken', fields: { firstBrokenSeq: 3 } });
  });

  it('searches by event family, actor id or name, time, with paging', async () => {
    const { t, people } = await scannedDay();
    const scans = await t.must('listAudit', { event: 'scan', offset: 0, limit: 2 });
    expect(scans.total).toBe(4);
    expect(scans.rows).toHaveLength(2);
    expect(scans.rows[0].seq).toBeGreaterThan(scans.rows[1].seq);
    expect((await t.must('listAudit', { actor: 'sue', offset: 0, limit: 100 })).rows.every((r: any) => r.actor === people.sueId)).toBe(true);
    expect((await t.must('listAudit', { actor: people.samId, event: 'scan.recorded', offset: 0, limit: 100 })).total).toBe(4);
    expect((await t.must('listAudit', { from: '2026-11-26T00:00:00Z', offset: 0, limit: 100 })).total).toBe(0);
    expect((await t.must('listAudit', { to: '2026-11-24T00:00:00Z', offset: 0, limit: 100 })).total).toBe(0);
  });

  it('checked in stretches (side by side in workers, or one after the other), the answer is the same', async () => {
    const cases: Array<(t: TestApp, receipts: Array<{ receiptId: string }>) => void> = [
      () => undefined,
      (t, r) => tamper(t, 'UPDATE receipts SET position = 99 WHERE id = ?', r[2]!.receiptId),
      (t) => tamper(t, 'DELETE FROM audit WHERE seq = 9'),
      (t) => tamper(t, "UPDATE audit SET detail = json_set(detail, '$.x', 1) WHERE seq = 12"),
      (t) => tamper(t, "UPDATE audit SET at = 5 WHERE seq = 10"),
      (t, r) => tamper(t, "UPDATE receipts SET member_ref = x'00' WHERE id = ?", r[3]!.receiptId),
    ];
    for (const change of cases) {
      const { t, receipts } = await scannedDay();
      change(t, receipts);
      const db = new Database(dbPath(t), { readonly: true });
      const whole = verifyAuditChain(db);
      expect(whole.ok).toBe(change === cases[0]);
      for (const parts of [2, 3, 5, 8]) expect(verifyAuditChain(db, parts)).toEqual(whole);
      expect(await verifyAuditOffThread(db, { inThreadBelow: 0, workers: 3 })).toEqual(whole);
      db.close();
    }
  });

  it("SQLite's json_quote writes every string as JSON.stringify does (the verifier hashes its output)", () => {
    const db = new Database(':memory:');
    const quote = db.prepare<[string], { q: string }>('SELECT json_quote(?) AS q');
    const samples = ['', 'plain', 'q"uote', 'back\\slash', '\u0000\u0001\b\t\n\f\r\u001f', '\u007f', 'é ü ß', '\u2028\u2029', '😀 𝄞', '</script>'];
    for (let c = 0; c < 0x800; c++) samples.push(`a${String.fromCharCode(c)}b`);
    for (const s of samples) expect(quote.get(s)!.q).toBe(JSON.stringify(s));
    db.close();
  });

  it('the verifier hashes exactly what AuditLog hashes', () => {
    const record = { seq: 12, at: '2026-11-25T09:00:00.000Z', actor: 'p"1', event: 'scan.recorded', detail: { z: 1, a: ['x', { c: null, b: 'é\n' }] } };
    const fast = `{"actor":${JSON.stringify(record.actor)},"at":${JSON.stringify(record.at)},"detail":${canonicalJson(record.detail)},"event":${JSON.stringify(record.event)},"seq":${record.seq}}`;
    expect(fast).toBe(canonicalJson(record));
    expect(entryHash('0'.repeat(64), record)).toMatch(/^[0-9a-f]{64}$/);
  });
});
