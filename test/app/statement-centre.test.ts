// The statement of a desk that is not enrolled: it says in words that it covers this
// workstation only and why, and every line of its own figures is there as before. And the
// centre part's CSV tells apart two desks of the same name (a desk enrolled again).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { centreCsvLines } from '../../electron/main/app/reports/statement-centre';
import { dayAtTheCentre, ELECTION, HEADER, registerRow, startApp } from './helpers';

describe('the statement and the whole centre', () => {
  it('not enrolled: says it covers this workstation only, working offline, with the desk figures as before', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    await t.must('openBatch', { label: 'T-1' });
    await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 2, 1), source: 'scanner' });

    const csv = await t.must('exportData', { what: 'statement_csv' });
    const lines = readFileSync(t.app.exportFile(csv.exportId)!.path, 'utf8').trimEnd().split('\r\n');
    expect(lines).toEqual(expect.arrayContaining(['totals,received,2,,,,,,,', 'totals,flagged,1,,,,,,,', 'flagged_by_kind,unknown_ballot,1,,,,,,,']));
    // the centre's lines come after every line of the desk's own
    expect(lines.slice(-2)).toEqual(['centre,status,offline,,,,,,,', 'centre,reason,not enrolled: working offline,,,,,,,']);

    const pdf = await t.must('exportData', { what: 'statement_pdf' });
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', t.app.exportFile(pdf.exportId)!.path, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Covers: this workstation only \(not enrolled: working offline\)/);
    expect(text).toMatch(/Not included: this statement covers this workstation only\s+\(not enrolled: working offline\)/);
    expect(text).toMatch(/Envelopes received: 2\b/);
    expect(text).not.toMatch(/Centre envelopes received/);
    const written = await t.must('listAudit', { event: 'export.written', offset: 0, limit: 10 });
    expect(written.rows.map((r: any) => [r.detail.what, r.detail.centre])).toEqual([
      ['statement_pdf', 'offline'],
      ['statement_csv', 'offline'],
    ]);
  });

  it('names a desk enrolled again (the same name twice) by its device id too', () => {
    const desk = { received: 1, lastReceivedAt: null, lastWitnessedAt: null };
    const lines = centreCsvLines({
      status: 'included',
      thisDeviceId: 'dev-2',
      unsentHere: 4,
      summary: {
        centreId: 'north', centreName: 'North', electionNumber: ELECTION, asOf: '2026-11-24T18:00:00.000Z', received: 3, accepted: 3, flagged: 0,
        flaggedByKind: { unknown_ballot: 0, duplicate_scan: 0, superseded_ballot: 0, member_already_returned: 0, online_vote_cast: 0, late_return: 0 },
        decisionsByKind: { set_aside: 0, count: 0, void_receipt: 0, escalate: 0, open: 0 },
        workstations: [
          { ...desk, deviceId: 'dev-1', name: 'Desk A', revoked: true },
          { ...desk, deviceId: 'dev-2', name: 'Desk A', received: 2, revoked: false },
        ],
      },
    });
    // what this desk has not sent yet is said, since the centre's figures cannot include it
    expect(lines.map((l) => l.trimEnd())).toContain('centre,this_workstation_unsent,4,,,,,,,');
    expect(lines.filter((l) => l.startsWith('centre_workstation')).map((l) => l.trimEnd())).toEqual([
      'centre_workstation,Desk A (dev-1),1,,,,,,,',
      'centre_workstation_last_received_at,Desk A (dev-1),,,,,,,,',
      'centre_workstation_last_witnessed_at,Desk A (dev-1),,,,,,,,',
      'centre_workstation_revoked,Desk A (dev-1),yes,,,,,,,',
      'centre_workstation,Desk A (dev-2),2,,,,,,,',
      'centre_workstation_last_received_at,Desk A (dev-2),,,,,,,,',
      'centre_workstation_last_witnessed_at,Desk A (dev-2),,,,,,,,',
      'centre_workstation_revoked,Desk A (dev-2),no,,,,,,,',
    ]);
  });
});
