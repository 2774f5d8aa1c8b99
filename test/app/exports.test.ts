// Exports: streamed into <dataDir>/exports/, each audited with its file's SHA-256, found again
// through App.exportFile; the end-of-day statement (PDF and CSV) the same way.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { entryHash, GENESIS_HASH } from '../../electron/main/app/audit/log';
import { dayAtTheCentre, ELECTION, HEADER, registerRow, signInAs, startApp, SUPERVISOR_PIN } from './helpers';

describe('exports', () => {
  it('writes receipts, flags-and-decisions and the audit log, each with its audit entry', async () => {
    const t = await startApp();
    const people = await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    await t.must('openBatch', { label: 'T,1 "quoted"' });
    await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    const flagged = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 2, 1), source: 'scanner' });
    await signInAs(t, people.sueId, SUPERVISOR_PIN);
    await t.must('decideFlags', { flagIds: [flagged.flagId], decision: 'set_aside', note: '=not a formula, "really"' });

    const receipts = await t.must('exportData', { what: 'receipts_csv' });
    const file = t.app.exportFile(receipts.exportId)!;
    expect(file.fileName).toBe(receipts.fileName);
    const bytes = readFileSync(file.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(receipts.sha256);
    expect(bytes.length).toBe(receipts.bytes);
    const lines = bytes.toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^receipt_id,workstation_seq,barcode,display/);
    expect(lines[1]).toContain('"T,1 ""quoted"""');
    expect(lines[2]).toContain('unknown_ballot,set_aside');

    const flags = await t.must('exportData', { what: 'flags_csv' });
    const flagText = readFileSync(t.app.exportFile(flags.exportId)!.path, 'utf8');
    expect(flagText).toContain(`"'=not a formula, ""really"""`);
    expect(flagText.trimEnd().split('\r\n')).toHaveLength(2);

    const audit = await t.must('exportData', { what: 'audit_jsonl' });
    const entries = readFileSync(t.app.exportFile(audit.exportId)!.path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    // anyone can re-check the chain from the file alone
    let prev = GENESIS_HASH;
    for (const e of entries) {
      expect(e.prevHash).toBe(prev);
      expect(entryHash(prev, { seq: e.seq, at: e.at, actor: e.actor, event: e.event, detail: e.detail })).toBe(e.hash);
      prev = e.hash;
    }
    const written = await t.must('listAudit', { event: 'export.written', offset: 0, limit: 10 });
    expect(written.rows.map((r: any) => [r.detail.what, r.detail.sha256])).toEqual([
      ['audit_jsonl', audit.sha256],
      ['flags_csv', flags.sha256],
      ['receipts_csv', receipts.sha256],
    ]);
    // The end-of-day statement, as PDF and CSV, through the same mechanism (file + audit entry).
    const pdf = await t.must('exportData', { what: 'statement_pdf' });
    const pdfFile = t.app.exportFile(pdf.exportId)!;
    expect(pdfFile.fileName).toMatch(/^statement-.*\.pdf$/);
    const pdfBytes = readFileSync(pdfFile.path);
    expect(pdfBytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdfBytes).digest('hex')).toBe(pdf.sha256);
    const statementCsv = await t.must('exportData', { what: 'statement_csv' });
    const statementText = readFileSync(t.app.exportFile(statementCsv.exportId)!.path, 'utf8');
    // the two envelopes scanned above: one accepted, one unknown ballot set aside
    for (const figure of ['totals,received,2,', 'totals,accepted,1,', 'totals,flagged,1,', 'flagged_by_kind,unknown_ballot,1,', 'decisions_by_kind,set_aside,1,'])
      expect(statementText).toContain(`\n${figure}`);
    expect(t.app.exportFile('unknown')).toBeNull();
    expect((await t.must('verifyAudit', {})).ok).toBe(true);
  });

  // Issue 14 item 11 changed this: a long label wraps in its column (whole), never cut, never over the next row.
  it('wraps a long tray label in the statement PDF to its column: whole, its counts on its first line', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    const long = 'North hall table 12, left-hand side, box 3';
    await t.must('openBatch', { label: long.slice(0, 40) });
    await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    const pdf = await t.must('exportData', { what: 'statement_pdf' });
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', t.app.exportFile(pdf.exportId)!.path, '-'], { encoding: 'utf8' });
    const lines = text.split('\n');
    const first = lines.findIndex((l) => l.trimStart().startsWith('North hall'));
    expect(first).toBeGreaterThan(-1);
    expect(text).not.toContain('...');
    // the tray's counts stay readable on the label's first line: expected (none), 1 envelope
    expect(lines[first]).toMatch(/left-\s+-\s+1\b/);
    expect(lines.slice(first + 1, first + 4).map((l) => l.trim()).join(' ')).toMatch(/^hand side, box\b/);
  });
});
