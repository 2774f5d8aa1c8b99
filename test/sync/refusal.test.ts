// A desk judges a decision from what it knows; the server knows more. Desk B counts an
// envelope that the server flagged as a duplicate of desk A's accepted one (desk B cannot see
// that A's copy counts). The server refuses (409); desk B keeps the decision (nothing is
// deleted) but it stops counting: the flag is open again with the server's reason, the
// statement does not send it to the count, the audit chain records and verifies the refusal,
// and a second decision that the server accepts settles it.
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
    expect((await b.must('dashboard', {})).openFlags).toBe(1);
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
    await a.close();
    await b.close();
  });
});
