// A desk judges a decision from what it knows; the server knows more. Desk B counts an
// envelope that the server flagged as a duplicate of desk A's accepted one (desk B cannot see
// that A's copy counts). The server refuses (409); desk B keeps the decision (nothing is
// deleted) but it stops counting: the flag is open again with the server's reason, the
// statement does not send it to the count, the audit chain records and verifies the refusal,
// and a second decision that the server accepts settles it.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { statementFigures } from '../../electron/main/app/reports/statement';
import { barcodeOf, cleanUp, enrol, enrolmentCode, ENGINES, openWorkstation, serverProcess, setUpElection, waitUpToDate } from './helpers';

afterAll(cleanUp);

describe.each(ENGINES)('a decision the server refuses, on %s', (engine) => {
  it('stops counting at the desk: the flag is open again, with the reason, and can be decided anew', async () => {
    const server = await serverProcess(engine);
    await setUpElection(server.url, 100, ['north']);
    const a = await openWorkstation();
    const b = await openWorkstation();
    await enrol(a, server.url, await enrolmentCode(server.url, 'north'), 'Desk A');
    await enrol(b, server.url, await enrolmentCode(server.url, 'north'), 'Desk B');
    await waitUpToDate(a);
    await waitUpToDate(b);

    const envelope = barcodeOf(42);
    a.scan(envelope);
    await a.must('syncNow', {});
    await waitUpToDate(a);
    const bReceipt = b.scan(envelope);
    await b.must('syncNow', {});
    await waitUpToDate(b);
    const flag = b.core.db.prepare('SELECT id, kind FROM flags WHERE receipt_id = ?').get(bReceipt) as { id: string; kind: string };
    expect(flag.kind).toBe('duplicate_scan');

    // A second supervisor at desk B (not the one who scanned): the desk allows Count...
    const sue = await b.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    await b.must('signOut', {});
    await b.must('signIn', { personId: sue.id, pin: '246801' });
    expect((await b.must('getFlag', { flagId: flag.id })).allowed.count.allowed).toBe(true);
    expect((await b.must('decideFlags', { flagIds: [flag.id], decision: 'count', note: 'looks fine to me' }))[0].ok).toBe(true);
    expect((await b.must('getFlag', { flagId: flag.id })).flag.state).toBe('decided');
    expect((await statementFigures(b.core.db, new Date())).toTheCount).toBe(1);

    // ...the server refuses it.
    await b.must('syncNow', {});
    const detail = await b.must('getFlag', { flagId: flag.id });
    expect(detail.flag.state).toBe('open');
    expect(detail.decisions).toEqual([
      expect.objectContaining({ decision: 'count', note: 'looks fine to me', refusedByServer: 'another envelope of this member is already counted' }),
    ]);
    expect((await b.must('listFlags', { state: 'open', offset: 0, limit: 10 })).rows.map((r: { flagId: string }) => r.flagId)).toEqual([flag.id]);
    const figures = await statementFigures(b.core.db, new Date());
    expect(figures.toTheCount).toBe(0);
    expect(figures.decisionsByKind).toMatchObject({ count: 0, open: 1 });
    expect(await b.must('dashboard', {})).toMatchObject({ openFlags: 1, refused: 1 });
    expect(b.events.filter((e) => e.type === 'flagsChanged').length).toBeGreaterThanOrEqual(2);
    expect(b.status().lastError).toContain('decision refused by the server');
    expect(await b.must('verifyAudit', {})).toMatchObject({ ok: true, firstBrokenSeq: null });
    const refusals = (await b.must('listAudit', { event: 'flag.decision_refused', offset: 0, limit: 10 })).rows;
    expect(refusals).toHaveLength(1);

    // Syncing again does not refuse it twice; a decision the server accepts settles the flag.
    await b.must('syncNow', {});
    expect((await b.must('listAudit', { event: 'flag.decision_refused', offset: 0, limit: 10 })).total).toBe(1);
    expect((await b.must('decideFlags', { flagIds: [flag.id], decision: 'void_receipt', note: 'desk A has this envelope' }))[0].ok).toBe(true);
    await b.must('syncNow', {});
    await waitUpToDate(b);
    const settled = await b.must('getFlag', { flagId: flag.id });
    expect(settled.flag.state).toBe('decided');
    expect(settled.decisions.map((d: { decision: string; refusedByServer: string | null }) => [d.decision, d.refusedByServer !== null])).toEqual([
      ['count', true],
      ['void_receipt', false],
    ]);
    const sent = b.core.db.prepare("SELECT failed FROM outbox WHERE kind = 'resolution' ORDER BY seq").all();
    expect(sent).toEqual([{ failed: 1 }, { failed: 0 }]);

    // A refusal row cannot be taken back.
    expect(() => b.core.db.prepare('DELETE FROM decision_refusals').run()).toThrow(/appended, never changed/);

    // The flags-and-decisions export says which decision the server refused, when and why.
    const csv = await b.must('exportData', { what: 'flags_csv' });
    const lines = readFileSync(b.core.exports.file(csv.exportId)!.path, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/,decided_at,refused_by_server_at,refused_reason,refusal_lifted_at$/);
    expect(lines.filter((l) => l.includes(',count,'))).toEqual([expect.stringMatching(/,count,.*,\d{4}-\d\d-\d\dT[^,]+,another envelope of this member is already counted,$/)]);
    expect(lines.filter((l) => l.includes(',void_receipt,'))).toEqual([expect.stringMatching(/,void_receipt,.*Z,,,$/)]);

    // A desk upgraded from before refusals were recorded: a refused decision only marked in its
    // outbox (as the older engine did) stops counting when the engine starts.
    const envelope2 = barcodeOf(43);
    a.scan(envelope2);
    await a.must('syncNow', {});
    await waitUpToDate(a);
    const bReceipt2 = b.scan(envelope2);
    await b.must('syncNow', {});
    await waitUpToDate(b);
    const flag2 = b.core.db.prepare('SELECT id FROM flags WHERE receipt_id = ?').get(bReceipt2) as { id: string };
    await b.engine.stop(); // so the decision below is not sent
    expect((await b.must('decideFlags', { flagIds: [flag2.id], decision: 'count', note: 'before the upgrade' }))[0].ok).toBe(true);
    b.core.db
      .prepare("UPDATE outbox SET failed = 1, last_error = 'decision refused by the server: another envelope of this member is already counted' WHERE kind = 'resolution' AND sent_at IS NULL AND failed = 0")
      .run();
    expect((await b.must('getFlag', { flagId: flag2.id })).flag.state).toBe('decided');
    const dir = b.dir;
    await b.close();
    const reopened = await openWorkstation({ dir });
    const upgraded = await reopened.must('getFlag', { flagId: flag2.id });
    expect(upgraded.flag.state).toBe('open');
    expect(upgraded.decisions[0].refusedByServer).toBe('another envelope of this member is already counted');
    expect(await reopened.must('verifyAudit', {})).toMatchObject({ ok: true });
    await reopened.close();
    await a.close();
  });
});
