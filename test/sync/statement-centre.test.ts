// The end-of-day statement of one desk at a centre of several: its own figures, as before, and
// the whole centre's as the central server holds them (GET /v1/centre/summary). With the server
// down the statement is still written, says why the centre is missing, and the desk's own
// figures do not change.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { FLAG_LABELS } from '../../shared/domain';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { barcodeOf, cleanUp, ELECTION, enrol, enrolmentCode, ENGINES, openWorkstation, serverProcess, setUpElection, waitUpToDate, type Workstation } from './helpers';

afterAll(cleanUp);

/** A statement export's file, as lines and as a `section.item` → value map. */
async function statementCsv(ws: Workstation): Promise<{ lines: string[]; figure: Map<string, string> }> {
  const r = await ws.must('exportData', { what: 'statement_csv' });
  const lines = readFileSync(ws.core.exports.file(r.exportId)!.path, 'utf8').trimEnd().split('\r\n');
  return { lines, figure: new Map(lines.map((l) => l.split(',')).map((c) => [`${c[0]}.${c[1]}`, c[2] ?? ''] as const)) };
}

async function statementPdfText(ws: Workstation): Promise<string> {
  const r = await ws.must('exportData', { what: 'statement_pdf' });
  return execFileSync('/usr/bin/pdftotext', ['-layout', ws.core.exports.file(r.exportId)!.path, '-'], { encoding: 'utf8' });
}

/** The desk's own figures: every line but the centre's, the moment it was made and the audit head (each export is audited). */
const deskLines = (lines: string[]) => lines.filter((l) => !/^(centre|statement,generated_at,|audit,head_)/.test(l));

describe.each(ENGINES)('the statement of one desk, with the whole centre, on %s', (engine) => {
  it("carries the desk's own figures and the centre's (A + B, not another centre's); offline, says why and keeps the desk's", async () => {
    const server = await serverProcess(engine);
    await setUpElection(server.url, 100, ['north', 'south']);
    const a = await openWorkstation();
    const b = await openWorkstation();
    const c = await openWorkstation();
    await enrol(a, server.url, await enrolmentCode(server.url, 'north'), 'Desk A');
    await enrol(b, server.url, await enrolmentCode(server.url, 'north'), 'Desk B');
    await enrol(c, server.url, await enrolmentCode(server.url, 'south'), 'Desk C');
    for (const ws of [a, b, c]) await waitUpToDate(ws);

    // Desk A: five envelopes and one not in the register; desk B three; desk C (south) two.
    for (const n of [1, 2, 3, 4, 5]) a.scan(barcodeOf(n));
    const unknown = a.scan(encodeBarcode(ELECTION, 5_000, 1));
    for (const n of [11, 12, 13]) b.scan(barcodeOf(n));
    for (const n of [21, 22]) c.scan(barcodeOf(n));
    // A second supervisor at desk A sets the unknown envelope aside (not the one who scanned it).
    const sue = await a.must('addPerson', { name: 'Sue', pin: '246801', role: 'supervisor' });
    await a.must('signOut', {});
    await a.must('signIn', { personId: sue.id, pin: '246801' });
    const flag = a.core.db.prepare('SELECT id FROM flags WHERE receipt_id = ?').get(unknown) as { id: string };
    expect((await a.must('decideFlags', { flagIds: [flag.id], decision: 'set_aside', note: 'not ours' }))[0].ok).toBe(true);
    for (const ws of [a, b, c]) {
      await ws.must('syncNow', {});
      await waitUpToDate(ws);
    }

    const online = await statementCsv(a);
    const f = online.figure;
    // the desk's own lines, as they always were
    expect([f.get('totals.received'), f.get('totals.accepted'), f.get('totals.flagged')]).toEqual(['6', '5', '1']);
    expect([f.get('flagged_by_kind.unknown_ballot'), f.get('decisions_by_kind.set_aside'), f.get('decisions_by_kind.open')]).toEqual(['1', '1', '0']);
    // the centre: desk A + desk B, never desk C of the south centre
    expect(f.get('centre.status')).toBe('included');
    expect([f.get('centre.centre_name'), f.get('centre.received'), f.get('centre.accepted'), f.get('centre.flagged')]).toEqual(['Centre north', '9', '8', '1']);
    expect([f.get('centre_flagged_by_kind.unknown_ballot'), f.get('centre_flagged_by_kind.duplicate_scan')]).toEqual(['1', '0']);
    expect([f.get('centre_decisions_by_kind.set_aside'), f.get('centre_decisions_by_kind.open')]).toEqual(['1', '0']);
    expect(online.lines.filter((l) => l.startsWith('centre_workstation,'))).toEqual([
      'centre_workstation,Desk A,6,,,,,,,',
      'centre_workstation,Desk B,3,,,,,,,',
    ]);
    expect(f.get('centre_workstation_last_witnessed_at.Desk A')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(f.get('centre_workstation_revoked.Desk B')).toBe('no');
    expect(Number.isNaN(Date.parse(f.get('centre.as_of')!))).toBe(false);

    const text = await statementPdfText(a);
    // The desk's labels still find the desk's figures first; the centre's have labels of their own.
    expect(/Envelopes received: (\d+)/.exec(text)?.[1]).toBe('6');
    expect(/Flagged: (\d+)/.exec(text)?.[1]).toBe('1');
    // the statement names each kind in the words of contracts.md §4 (FLAG_LABELS), not its code
    expect(new RegExp(`${FLAG_LABELS.unknown_ballot}: (\\d+)`).exec(text)?.[1]).toBe('1');
    expect(text).toMatch(/This workstation: Desk A/);
    expect(text).toMatch(/The whole centre, as the central server holds it/);
    expect(text).toMatch(/Centre envelopes received: 9\b/);
    expect(text).toMatch(/Centre accepted: 8\b/);
    expect(text).toMatch(/Desk A \(this one\) +6 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC +\d{4}-\d\d-\d\d/);
    expect(text).toMatch(/Desk B +3 +\d{4}-/);
    expect(text).not.toContain('Desk C');
    expect(text).toMatch(/Covers: this workstation, and the whole centre as the central server held it at/);

    // The server goes away: the statement is still written, and says so.
    await server.kill();
    const offline = await statementCsv(a);
    expect(offline.figure.get('centre.status')).toBe('unreachable');
    expect(offline.figure.get('centre.reason')).toContain('refused the connection');
    expect(offline.figure.get('centre.received')).toBeUndefined();
    expect(deskLines(offline.lines)).toEqual(deskLines(online.lines));
    const offlineText = await statementPdfText(a);
    // (the sentence may wrap in the PDF)
    expect(offlineText).toMatch(/The central server could not be reached at\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC:\s+the server refused\s+the connection/);
    expect(offlineText).toMatch(/Covers: this workstation only/);
    expect(/Envelopes received: (\d+)/.exec(offlineText)?.[1]).toBe('6');
    expect(offlineText).not.toMatch(/Centre envelopes received/);
    const audited = (await a.must('listAudit', { event: 'export.written', offset: 0, limit: 10 })).rows.map((r: any) => r.detail.centre);
    expect(audited).toEqual(['unreachable', 'unreachable', 'included', 'included']);

    // A server that takes the connection and never answers: the statement waits 5 s at most.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(Number(new URL(server.url).port), '127.0.0.1', () => r()));
    try {
      const started = performance.now();
      const waited = await statementCsv(a);
      const seconds = (performance.now() - started) / 1000;
      expect(waited.figure.get('centre.status')).toBe('unreachable');
      expect(seconds).toBeGreaterThanOrEqual(4.5);
      expect(seconds).toBeLessThan(9);
      expect(deskLines(waited.lines)).toEqual(deskLines(online.lines));
    } finally {
      silent.close();
    }
  }, 60_000);
});
