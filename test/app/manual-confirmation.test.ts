// Issue 15, item 3: an operator cannot type envelopes that never arrived. A manual entry
// deactivates a member's online code like a scan, so a second person confirms it in the same
// call: a supervisor other than the operator, with their PIN. A wrong PIN counts towards that
// supervisor's lock-out; a refusal records nothing; the receipt, its outbox row (ReceiptIn
// .confirmedBy) and its audit entry name the supervisor, and Verify holds the row to the entry.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { MAX_FAILED_PINS } from '../../electron/main/app/auth/people';
import { createCore } from '../../electron/main/app/core';
import { openDatabase } from '../../electron/main/app/db/open';
import { DATABASE_FILE } from '../../electron/main/app/index';
import {
  dayAtTheCentre,
  ELECTION,
  HEADER,
  memorySecrets,
  OPERATOR_PIN,
  quietLog,
  registerRow,
  signInAs,
  startApp,
  SUPERVISOR_PIN,
  TEST_PIN_COST,
  tempDir,
  type TestApp,
} from './helpers';

const BARCODE = encodeBarcode(ELECTION, 5, 1);

function read<T>(t: TestApp, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(t.dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Olga (an operator) signed in with a tray open; Sam and Sue are supervisors. */
async function operatorAtTheDesk() {
  const t = await startApp();
  const people = await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(5, 1, 'issued', 'M-5', 'CODE-5') });
  await signInAs(t, people.olgaId, OPERATOR_PIN);
  await t.must('openBatch', { label: 'T1' });
  return { t, people };
}

const entry = (supervisorId: string, pin: string) => ({ barcode: BARCODE, repeatBarcode: BARCODE, reason: 'barcode torn', confirmation: { supervisorId, pin } });

/** Nothing of a manual entry was written: no receipt, no outbox row, no scan entry in the log. */
function nothingRecorded(t: TestApp): void {
  expect(read(t, 'SELECT id FROM receipts')).toEqual([]);
  expect(read(t, "SELECT seq FROM outbox WHERE kind = 'receipt'")).toEqual([]);
  expect(read(t, "SELECT seq FROM audit WHERE event LIKE 'scan.%'")).toEqual([]);
}

describe('manual entry needs a second person (issue 15 item 3)', () => {
  it('a supervisor other than the operator, with the right PIN: recorded, and the receipt, outbox and audit name them', async () => {
    const { t, people } = await operatorAtTheDesk();
    const v = await t.must('recordManualEntry', entry(people.sueId, SUPERVISOR_PIN));
    expect(v).toMatchObject({ verdict: 'recorded', barcode: BARCODE });
    expect(read(t, 'SELECT operator_id, source, manual_reason, confirmed_by FROM receipts')).toEqual([
      { operator_id: people.olgaId, source: 'manual', manual_reason: 'barcode torn', confirmed_by: people.sueId },
    ]);
    const [outbox] = read<{ payload: string }>(t, "SELECT payload FROM outbox WHERE kind = 'receipt'");
    expect(JSON.parse(outbox!.payload)).toMatchObject({ receiptId: v.receiptId, operatorId: people.olgaId, source: 'manual', confirmedBy: people.sueId });
    const [audited] = read<{ actor: string; detail: string }>(t, "SELECT actor, detail FROM audit WHERE event = 'scan.recorded'");
    expect(audited!.actor).toBe(people.olgaId);
    expect(JSON.parse(audited!.detail)).toMatchObject({ receiptId: v.receiptId, source: 'manual', manualReason: 'barcode torn', confirmedBy: people.sueId });
    // the operator stays signed in: the confirmation is no change of session
    expect((await t.must('getState', {})).session).toMatchObject({ personId: people.olgaId });
    // a scan carries no confirmer anywhere
    const scanned = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 6, 1), source: 'scanner' });
    expect(read(t, 'SELECT confirmed_by FROM receipts WHERE id = ?', scanned.receiptId)).toEqual([{ confirmed_by: null }]);
    const [scanOutbox] = read<{ payload: string }>(t, 'SELECT payload FROM outbox WHERE ref_id = ?', scanned.receiptId);
    expect(JSON.parse(scanOutbox!.payload)).not.toHaveProperty('confirmedBy');
    await signInAs(t, people.samId, SUPERVISOR_PIN);
    expect(await t.must('verifyAudit', {})).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it('a wrong supervisor PIN is refused in words, records nothing, and counts towards that supervisor’s lock-out', async () => {
    const { t, people } = await operatorAtTheDesk();
    const wrong = await t.call('recordManualEntry', entry(people.sueId, '000000'));
    expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^Wrong PIN\. 4 tries left/) } });
    nothingRecorded(t);
    expect(read(t, "SELECT actor, json_extract(detail, '$.reason') AS reason FROM audit WHERE event = 'signin.failed'")).toEqual([
      { actor: people.sueId, reason: 'wrong PIN' },
    ]);
    for (let i = 2; i <= MAX_FAILED_PINS; i++) await t.call('recordManualEntry', entry(people.sueId, '000000'));
    // Sue is locked now: the right PIN is refused, here and at sign-in
    const locked = await t.call('recordManualEntry', entry(people.sueId, SUPERVISOR_PIN));
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringContaining('locked for 5 more minutes') } });
    nothingRecorded(t);
    expect(read(t, "SELECT actor FROM audit WHERE event = 'signin.locked'")).toEqual([{ actor: people.sueId }]);
    // another supervisor can still confirm, and the lock is Sue's alone
    expect(await t.must('recordManualEntry', entry(people.samId, SUPERVISOR_PIN))).toMatchObject({ verdict: 'recorded' });
    expect(read(t, 'SELECT confirmed_by FROM receipts')).toEqual([{ confirmed_by: people.samId }]);
    await t.call('signOut', {});
    expect(await t.call('signIn', { personId: people.sueId, pin: SUPERVISOR_PIN })).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('a supervisor cannot confirm their own manual entry, even with their right PIN; an operator cannot confirm one', async () => {
    const { t, people } = await operatorAtTheDesk();
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    const own = await t.call('recordManualEntry', entry(people.sueId, SUPERVISOR_PIN));
    expect(own).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('cannot confirm your own manual entry') } });
    nothingRecorded(t);
    // the refusal comes before the PIN is checked: no attempt is counted against her
    expect(read(t, "SELECT seq FROM audit WHERE event = 'signin.failed'")).toEqual([]);
    // an operator's PIN is no supervisor's confirmation
    const byOperator = await t.call('recordManualEntry', entry(people.olgaId, OPERATOR_PIN));
    expect(byOperator).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Olga is not a supervisor') } });
    nothingRecorded(t);
    // nor does a mismatch of the two numbers cost the supervisor a PIN attempt
    const mismatch = await t.call('recordManualEntry', { ...entry(people.samId, '000000'), repeatBarcode: encodeBarcode(ELECTION, 6, 1) });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(read(t, "SELECT seq FROM audit WHERE event = 'signin.failed'")).toEqual([]);
    nothingRecorded(t);
  });

  it('lists as confirmers the enabled supervisors other than the signed-in person, by name', async () => {
    const { t, people } = await operatorAtTheDesk();
    expect(await t.must('listConfirmers', {})).toEqual([
      { id: people.samId, name: 'Sam' },
      { id: people.sueId, name: 'Sue' },
    ]);
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    expect(await t.must('listConfirmers', {})).toEqual([{ id: people.samId, name: 'Sam' }]);
    await t.must('setPersonDisabled', { personId: people.samId, disabled: true });
    expect(await t.must('listConfirmers', {})).toEqual([]);
    // a disabled supervisor's right PIN confirms nothing
    await signInAs(t, people.olgaId, OPERATOR_PIN);
    expect(await t.call('recordManualEntry', entry(people.samId, SUPERVISOR_PIN))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    nothingRecorded(t);
  });

  it('Verify holds the receipt’s confirmer to its audit entry: a changed or removed confirmer is found', async () => {
    for (const change of ['other', 'none'] as const) {
      const { t, people } = await operatorAtTheDesk();
      const v = await t.must('recordManualEntry', entry(people.sueId, SUPERVISOR_PIN));
      await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 6, 1), source: 'scanner' });
      await signInAs(t, people.samId, SUPERVISOR_PIN);
      expect(await t.must('verifyAudit', {})).toMatchObject({ ok: true });
      const [{ seq }] = read<{ seq: number }>(t, "SELECT seq FROM audit WHERE event = 'scan.recorded' AND json_extract(detail, '$.receiptId') = ?", v.receiptId) as [
        { seq: number },
      ];
      const db = new Database(join(t.dir, DATABASE_FILE));
      db.exec('DROP TRIGGER IF EXISTS receipts_no_update');
      db.prepare('UPDATE receipts SET confirmed_by = ? WHERE id = ?').run(change === 'other' ? people.samId : null, v.receiptId);
      db.close();
      expect(await t.must('verifyAudit', {})).toMatchObject({ ok: false, firstBrokenSeq: seq, problem: expect.stringContaining('confirming supervisor') });
    }
  });

  it('the core itself refuses a manual entry without a confirmer, or confirmed by its operator', async () => {
    const dir = tempDir();
    const opened = openDatabase(join(dir, 'ledger.sqlite'));
    if (!opened.ok) throw new Error(opened.error.message);
    const now = () => new Date('2026-11-25T09:00:00Z');
    const c = createCore({ db: opened.value, dataDir: dir, log: quietLog, secretStore: memorySecrets(), now, pinCost: TEST_PIN_COST });
    const olga = await c.people.add({ name: 'Olga', pin: OPERATOR_PIN, role: 'operator' }, null, now());
    if (!olga.ok) throw new Error('people');
    c.batches.open('T1', null, olga.value.id, now());
    const ctx = { operatorId: olga.value.id, now: now(), electionNumber: ELECTION, closesAt: null, repeatWindowMs: 10_000 };
    expect(() => c.receipts.record({ raw: BARCODE, source: 'manual', manualReason: 'x' }, ctx)).toThrow(/confirmation of a supervisor/);
    expect(() => c.receipts.record({ raw: BARCODE, source: 'manual', manualReason: 'x', confirmedBy: olga.value.id }, ctx)).toThrow(/confirmation of a supervisor/);
    expect(opened.value.prepare('SELECT count(*) AS n FROM receipts').get()).toEqual({ n: 0 });
    await c.close();
  });
});
