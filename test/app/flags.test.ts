// Every desk-side flag kind of contracts.md §4, and every decision rule, through the API.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { dayAtTheCentre, ELECTION, HEADER, OPERATOR_PIN, registerRow, signInAs, startApp, SUPERVISOR_PIN, type TestApp } from './helpers';

const REGISTER =
  HEADER +
  registerRow(100, 1, 'issued', 'M-100') +
  registerRow(200, 1, 'superseded', 'M-200') +
  registerRow(200, 2, 'issued', 'M-200') +
  registerRow(300, 1, 'cancelled', 'M-300') +
  registerRow(500, 1, 'superseded', 'M-500') +
  registerRow(500, 2, 'issued', 'M-500') +
  registerRow(600, 1, 'issued', 'M-600') +
  registerRow(700, 1, 'issued', 'M-700');

/** when M-600's online code was redeemed, as the server's register feed says */
const M600_VOTED_ONLINE_AT = '2026-11-25T08:12:34.567Z';

const scan = (t: TestApp, ballot: number, issue = 1) => t.must('recordScan', { barcode: encodeBarcode(ELECTION, ballot, issue), source: 'scanner' });

/** A day with one of each flag kind, scanned by the operator Olga. */
async function flaggedDay() {
  const t = await startApp();
  const people = await dayAtTheCentre(t, { registerCsv: REGISTER });
  // The server told us member M-600 voted online, and when (an outside write stands in for sync here).
  const db = new Database(join(t.dir, 'ballot-intake.sqlite'));
  for (const table of ['register_a', 'register_b']) {
    db.prepare(`UPDATE ${table} SET online_voted = 1, online_voted_at = ? WHERE ballot_number = 600`).run(M600_VOTED_ONLINE_AT);
  }
  db.close();
  await signInAs(t, people.olgaId, OPERATOR_PIN);
  await t.must('openBatch', { label: 'T1' });
  const v: Record<string, any> = {};
  v.accepted = await scan(t, 100);
  v.repeat = await scan(t, 100);
  t.clock.advance(11_000);
  v.duplicate = await scan(t, 100);
  v.unknown = await scan(t, 999);
  v.superseded = await scan(t, 200, 1);
  v.cancelled = await scan(t, 300, 1);
  v.supersededFirst = await scan(t, 500, 1);
  v.memberReturned = await scan(t, 500, 2);
  v.online = await scan(t, 600);
  t.clock.set('2026-11-25T18:30:00.000Z');
  await signInAs(t, people.olgaId, OPERATOR_PIN); // the screen locked while idle all afternoon
  v.late = await scan(t, 700);
  return { t, people, v };
}

describe('desk flags', () => {
  it('raises each kind of §4, the first that applies, and treats a quick re-read as a repeat', async () => {
    const { t, v } = await flaggedDay();
    expect(v.accepted).toMatchObject({ verdict: 'recorded', display: '1022-000000100-1-' + v.accepted.barcode.slice(14) });
    expect(v.repeat).toMatchObject({ verdict: 'already_recorded', receiptId: v.accepted.receiptId });
    expect(v.duplicate).toMatchObject({ verdict: 'flagged', kind: 'duplicate_scan' });
    expect(v.unknown).toMatchObject({ verdict: 'flagged', kind: 'unknown_ballot' });
    expect(v.superseded).toMatchObject({ verdict: 'flagged', kind: 'superseded_ballot' });
    expect(v.cancelled).toMatchObject({ verdict: 'flagged', kind: 'superseded_ballot' });
    expect(v.supersededFirst).toMatchObject({ verdict: 'flagged', kind: 'superseded_ballot' });
    expect(v.memberReturned).toMatchObject({ verdict: 'flagged', kind: 'member_already_returned' });
    expect(v.online).toMatchObject({ verdict: 'flagged', kind: 'online_vote_cast' });
    expect(v.late).toMatchObject({ verdict: 'flagged', kind: 'late_return', instruction: 'put in the LATE tray' });
    const rejected = await t.must('recordScan', { barcode: '1022000000100199', source: 'scanner' });
    // the operator reads the digits read and the next step; the audit keeps the bare reason
    expect(rejected).toMatchObject({
      verdict: 'rejected',
      reason: 'check digits do not match (read 1022-000000100-1-99): scan it again, or type the printed number with Manual entry',
    });
    const other = await t.must('recordScan', { barcode: encodeBarcode(1023, 1, 1), source: 'scanner' });
    expect(other).toMatchObject({ verdict: 'rejected', reason: 'election 1023 is not this election' });
  });

  it('lists flags with filters, totals and the joined names', async () => {
    const { t, people, v } = await flaggedDay();
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    const all = await t.must('listFlags', { offset: 0, limit: 100 });
    expect(all.total).toBe(8);
    expect(all.rows[0]).toMatchObject({ kind: 'late_return', operatorName: 'Olga', batchLabel: 'T1', workstationName: 'Desk 1', state: 'open', decision: null, deskVerdict: { outcome: 'flagged', kind: 'late_return', error: null }, serverVerdict: null });
    expect((await t.must('listFlags', { kind: 'superseded_ballot', offset: 0, limit: 2 })).total).toBe(3);
    expect((await t.must('listFlags', { kind: 'superseded_ballot', offset: 0, limit: 2 })).rows).toHaveLength(2);
    await t.must('decideFlags', { flagIds: [v.unknown.flagId], decision: 'escalate', note: 'ask the returning officer' });
    await t.must('decideFlags', { flagIds: [v.late.flagId], decision: 'set_aside', note: 'late' });
    expect((await t.must('listFlags', { state: 'open', offset: 0, limit: 100 })).total).toBe(6);
    expect((await t.must('listFlags', { state: 'escalated', offset: 0, limit: 100 })).rows.map((r: any) => r.flagId)).toEqual([v.unknown.flagId]);
    expect((await t.must('listFlags', { state: 'decided', offset: 0, limit: 100 })).rows).toMatchObject([{ flagId: v.late.flagId, decision: 'set_aside' }]);
    const batchId = (await t.must('listBatches', {}))[0].id;
    expect((await t.must('listFlags', { batchId, offset: 0, limit: 100 })).total).toBe(8);
    expect((await t.must('listFlags', { batchId: 'other', offset: 0, limit: 100 })).total).toBe(0);
  });

  it('a decision needs a supervisor, a note, and someone other than who scanned', async () => {
    const { t, people, v } = await flaggedDay();
    // the operator is refused by the dispatcher
    expect(await t.call('decideFlags', { flagIds: [v.unknown.flagId], decision: 'set_aside', note: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    expect(await t.call('decideFlags', { flagIds: [v.unknown.flagId], decision: 'set_aside', note: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // Sue scans an envelope herself: she may not decide its flag; Sam may.
    t.clock.set('2026-11-25T12:00:00.000Z');
    const own = await scan(t, 999_999);
    expect(own.kind).toBe('unknown_ballot');
    const refused = await t.must('decideFlags', { flagIds: [own.flagId, v.unknown.flagId], decision: 'set_aside', note: 'not in the register' });
    expect(refused).toEqual([
      { flagId: own.flagId, ok: false, message: 'You scanned this envelope: another supervisor must decide.' },
      { flagId: v.unknown.flagId, ok: true, message: null },
    ]);
    const detail = await t.must('getFlag', { flagId: own.flagId });
    expect(detail.allowed.set_aside).toEqual({ allowed: false, reason: 'You scanned this envelope: another supervisor must decide.' });
    await signInAs(t, people.samId, SUPERVISOR_PIN);
    expect(await t.must('decideFlags', { flagIds: [own.flagId], decision: 'set_aside', note: 'not in the register' })).toMatchObject([{ ok: true }]);
    expect(await t.must('decideFlags', { flagIds: ['no-such-flag'], decision: 'set_aside', note: 'x' })).toEqual([{ flagId: 'no-such-flag', ok: false, message: 'No such flag.' }]);
  });

  it('count is refused for online_vote_cast and while another receipt of the member counts', async () => {
    const { t, people, v } = await flaggedDay();
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    const online = await t.must('decideFlags', { flagIds: [v.online.flagId], decision: 'count', note: 'count it' });
    expect(online).toEqual([{ flagId: v.online.flagId, ok: false, message: 'The member has voted online: this envelope cannot be counted.' }]);
    // the supervisor sees when the member voted online; a member who did not has no such time
    expect((await t.must('getFlag', { flagId: v.online.flagId })).onlineVotedAt).toBe(M600_VOTED_ONLINE_AT);
    expect((await t.must('getFlag', { flagId: v.supersededFirst.flagId })).onlineVotedAt).toBeNull();
    // the first envelope of ballot 100 was accepted, so its duplicate cannot count
    const dup = await t.must('decideFlags', { flagIds: [v.duplicate.flagId], decision: 'count', note: 'count it' });
    expect(dup[0]).toMatchObject({ ok: false, message: expect.stringContaining('is already counted') });
    // member M-500: count the superseded first pack, then the second cannot count ...
    expect(await t.must('decideFlags', { flagIds: [v.supersededFirst.flagId], decision: 'count', note: 'first pack arrived first' })).toMatchObject([{ ok: true }]);
    const second = await t.must('getFlag', { flagId: v.memberReturned.flagId });
    expect(second.allowed.count.allowed).toBe(false);
    expect(second.allowed.count.reason).toContain('1022-000000500-1-');
    expect(second.allowed.set_aside).toEqual({ allowed: true, reason: null });
    expect(second.memberReceipts.map((m: any) => m.display.slice(0, 16))).toEqual(['1022-000000500-1', '1022-000000500-2']);
    expect(second.registerEntries).toEqual([
      { ballotNumber: 500, issue: 1, status: 'superseded', onlineVoted: false },
      { ballotNumber: 500, issue: 2, status: 'issued', onlineVoted: false },
    ]);
    // ... until the first is set aside: the state is derived from the latest decision
    t.clock.advance(60_000);
    await t.must('decideFlags', { flagIds: [v.supersededFirst.flagId], decision: 'set_aside', note: 'changed my mind' });
    expect(await t.must('decideFlags', { flagIds: [v.memberReturned.flagId], decision: 'count', note: 'the valid pack' })).toMatchObject([{ ok: true }]);
    const first = await t.must('getFlag', { flagId: v.supersededFirst.flagId });
    expect(first.decisions.map((d: any) => d.decision)).toEqual(['count', 'set_aside']);
    expect(first.flag).toMatchObject({ state: 'decided', decision: 'set_aside' });
    expect(first.allowed.count.allowed).toBe(false);
  });

  it('escalate stays open; void and set aside decide; each decision has its outbox row and audit entry', async () => {
    const { t, people, v } = await flaggedDay();
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    await t.must('decideFlags', { flagIds: [v.superseded.flagId], decision: 'escalate', note: 'ask' });
    await t.must('decideFlags', { flagIds: [v.cancelled.flagId], decision: 'void_receipt', note: 'scanned by mistake' });
    const flags = (await t.must('listFlags', { offset: 0, limit: 100 })).rows;
    expect(flags.find((f: any) => f.flagId === v.superseded.flagId)).toMatchObject({ state: 'escalated', decision: 'escalate' });
    expect(flags.find((f: any) => f.flagId === v.cancelled.flagId)).toMatchObject({ state: 'decided', decision: 'void_receipt' });
    expect(t.events.some((e) => e.type === 'flagsChanged')).toBe(true);
    const db = new Database(join(t.dir, 'ballot-intake.sqlite'), { readonly: true });
    const outbox = db.prepare("SELECT ref_id, payload FROM outbox WHERE kind = 'resolution' ORDER BY seq").all() as Array<{ ref_id: string; payload: string }>;
    const audit = db.prepare("SELECT detail FROM audit WHERE event = 'flag.decided' ORDER BY seq").all() as Array<{ detail: string }>;
    db.close();
    expect(outbox).toHaveLength(2);
    const payload = JSON.parse(outbox[0]!.payload);
    expect(payload).toMatchObject({ resolutionId: outbox[0]!.ref_id, decision: 'escalate', note: 'ask', supervisorId: people.sueId, flagId: v.superseded.flagId, receiptId: v.superseded.receiptId });
    expect(Date.parse(payload.decidedAt)).not.toBeNaN();
    expect(JSON.parse(audit[1]!.detail)).toMatchObject({ decisionId: outbox[1]!.ref_id, flagId: v.cancelled.flagId, decision: 'void_receipt' });
    expect((await t.must('verifyAudit', {})).ok).toBe(true);
  });

  it('receipts seen at other workstations or centres flag duplicates and members already returned', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: REGISTER });
    const db = new Database(join(t.dir, 'ballot-intake.sqlite'));
    // what the changes feed would have stored (sync writes these rows)
    db.prepare("INSERT INTO remote_receipts (receipt_id, barcode, member_ref, received_at, centre_name, workstation_name) VALUES ('r-1', ?, 'M-100', '2026-11-25T08:00:00Z', 'North', 'Desk 9')").run(encodeBarcode(ELECTION, 100, 1));
    db.prepare("INSERT INTO remote_receipts (receipt_id, barcode, member_ref, received_at, centre_name, workstation_name) VALUES ('r-2', ?, 'M-200', '2026-11-25T08:00:00Z', 'North', 'Desk 9')").run(encodeBarcode(ELECTION, 200, 1));
    db.close();
    await t.must('openBatch', { label: 'T1' });
    const dup = await scan(t, 100);
    expect(dup).toMatchObject({ verdict: 'flagged', kind: 'duplicate_scan' });
    expect(await scan(t, 200, 2)).toMatchObject({ verdict: 'flagged', kind: 'member_already_returned' });
    await signInAs(t, (await t.must('listSignInNames', {})).find((p: any) => p.name === 'Sue').id, SUPERVISOR_PIN);
    const detail = await t.must('getFlag', { flagId: dup.flagId });
    expect(detail.memberReceipts.map((m: any) => m.workstationName)).toEqual(['Desk 1', 'North / Desk 9']);
  });
});
