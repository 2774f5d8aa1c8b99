// Issue 14 item 11: the end-of-day statement says PROVISIONAL (and why) until every tray is
// closed and every flag decided; its times are local with the zone named; a long tray label
// wraps in its column rather than being cut; the signature block ("Date:" with its signature
// line) stays together on one page, however long the trays table before it. Read back from
// the PDF with pdftotext, as a person reading it would.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { writeStatementPdf } from '../../electron/main/app/reports/statement';
import { localWhen } from '../../electron/main/app/reports/local-time';
import { dayAtTheCentre, ELECTION, HEADER, registerRow, signInAs, startApp, SUPERVISOR_PIN, tempDir, type TestApp } from './helpers';

const pdfText = (path: string) => execFileSync('/usr/bin/pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

async function exportedText(t: TestApp, what: 'statement_pdf' | 'statement_csv'): Promise<string> {
  const e = await t.must('exportData', { what });
  const path = t.app.exportFile(e.exportId)!.path;
  return what === 'statement_pdf' ? pdfText(path) : readFileSync(path, 'utf8');
}

describe('the end-of-day statement', () => {
  it('is PROVISIONAL, saying why, until every tray is closed and every flag decided; then final', async () => {
    const t = await startApp();
    const { sueId } = await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    const tray = await t.must('openBatch', { label: 'T-1' });
    await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    const unknown = await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 2, 1), source: 'scanner' });

    let text = await exportedText(t, 'statement_pdf');
    expect(text).toContain('PROVISIONAL');
    expect(text.replace(/\s+/g, ' ')).toContain('PROVISIONAL: 1 tray still open (T-1); 1 flag not decided yet.');
    let csv = await exportedText(t, 'statement_csv');
    expect(csv).toContain('\r\nstatement,status,provisional,');
    expect(csv).toContain('\r\nstatement,open_trays,1,');
    expect(csv).toContain('\r\nstatement,undecided_flags,1,');

    await t.must('closeBatch', { batchId: tray.id, physicalCount: 1, pocketCounts: { 'SET-ASIDE': 1 } });
    await signInAs(t, sueId, SUPERVISOR_PIN);
    await t.must('decideFlags', { flagIds: [unknown.flagId], decision: 'escalate', note: 'asking' });
    text = await exportedText(t, 'statement_pdf');
    // escalated is not decided
    expect(text.replace(/\s+/g, ' ')).toContain('PROVISIONAL: 1 flag not decided yet.');
    await t.must('decideFlags', { flagIds: [unknown.flagId], decision: 'set_aside', note: 'not ours' });
    text = await exportedText(t, 'statement_pdf');
    expect(text).not.toContain('PROVISIONAL');
    csv = await exportedText(t, 'statement_csv');
    expect(csv).toContain('\r\nstatement,status,final,');
  });

  it('gives times in local time with the zone named, and counts physical envelopes and repeat reads', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    const tray = await t.must('openBatch', { label: 'T-1' });
    const barcode = encodeBarcode(ELECTION, 1, 1);
    await t.must('recordScan', { barcode, source: 'scanner' });
    await t.must('recordScan', { barcode, source: 'scanner' }); // a repeat read
    t.clock.advance(11_000);
    await t.must('recordScan', { barcode, source: 'scanner' }); // re-scanned after the window: moved to SET-ASIDE
    await t.must('closeBatch', { batchId: tray.id, physicalCount: 0, pocketCounts: { 'SET-ASIDE': 1 } });

    const text = (await exportedText(t, 'statement_pdf')).replace(/[ \t]+/g, ' ');
    expect(text).toMatch(/Envelopes received: 1\b/);
    expect(text).toMatch(/Repeat reads of an envelope already received \(each envelope counted once\): 2\b/);
    expect(text).toMatch(/within the repeat window, not recorded again: 1\b/);
    expect(text).toMatch(/re-scanned after it, recorded as duplicate scans: 1\b/);
    expect(text).toMatch(/Receipts recorded \(envelopes received and their re-scans\): 2\b/);
    expect(text).toMatch(/with a discrepancy: 0\b/);
    // the desk's own zone, named
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(text).toContain(`Times: local time of this workstation, time zone ${zone}`);
    expect(text).toContain(`Statement made: ${localWhen(t.clock.now().toISOString())}`);

    // In another zone (the test machine's clock is UTC): the wall-clock hour there, and the zone's names.
    const db = new Database(join(t.dir, DATABASE_FILE), { readonly: true });
    const path = join(tempDir(), 'paris.pdf');
    await writeStatementPdf(db, path, new Date('2026-11-25T17:30:00.000Z'), { status: 'offline', reason: 'not enrolled: working offline' }, { timeZone: 'Europe/Paris' });
    db.close();
    const paris = pdfText(path);
    expect(paris).toContain('time zone Europe/Paris');
    expect(paris).toContain('Statement made: 2026-11-25 18:30:00 CET');
    expect(paris).toMatch(/Period: 2026-11-25 10:00:00 CET to 2026-11-25 10:00:11 CET/);
    expect(paris).not.toContain('UTC');
  });

  it('wraps a long tray label in its column, whole, with its counts on the same row', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    const label = 'North hall table 12, left-hand side, box';
    await t.must('openBatch', { label });
    await t.must('recordScan', { barcode: encodeBarcode(ELECTION, 1, 1), source: 'scanner' });
    const lines = (await exportedText(t, 'statement_pdf')).split('\n');
    const first = lines.findIndex((l) => l.trimStart().startsWith('North hall'));
    expect(first).toBeGreaterThan(-1);
    expect(lines.join('\n')).not.toContain('...');
    // the row's counts beside the label's first line: expected (none), 1 envelope, 0 flagged, 1 in the tray
    expect(lines[first]).toMatch(/^\s*North hall table 12, left-\s+-\s+1\s+0\s+1\b/);
    // the rest of the label on the lines just below, nothing cut
    const below = lines.slice(first + 1, first + 4).map((l) => l.trim()).join(' ');
    expect(below).toMatch(/^hand side, box\b/);
  });

  it('keeps the signature block, "Date:" with its signature line, together on one page, whatever the length of the trays table', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    const dir = tempDir();
    const write = new Database(join(t.dir, DATABASE_FILE));
    const sam = (write.prepare("SELECT id FROM people WHERE name = 'Sam'").get() as { id: string }).id;
    const seen = new Set<number>();
    for (let n = 1; n <= 48; n++) {
      write
        .prepare("INSERT INTO batches (id, label, opened_at, opened_by, closed_at, closed_by, physical_count) VALUES (?, ?, '2026-11-25T08:00:00.000Z', ?, '2026-11-25T09:00:00.000Z', ?, 0)")
        .run(`b-${n}`, `T-${String(n).padStart(3, '0')}`, sam, sam);
      for (const place of ['tray', 'SET-ASIDE', 'LATE']) write.prepare('INSERT INTO batch_place_counts (batch_id, place, physical_count) VALUES (?, ?, 0)').run(`b-${n}`, place);
      const path = join(dir, `statement-${n}.pdf`);
      await writeStatementPdf(write, path, t.clock.now(), { status: 'offline', reason: 'not enrolled: working offline' });
      const pages = pdfText(path).split('\f');
      const where = pages.findIndex((p) => p.includes('Returning officer'));
      seen.add(where);
      const page = pages[where]!.split('\n');
      // both signers, each with a Signature and a Date on one line, all on the one page
      expect(page.filter((l) => /Signature: _+\s+Date: _+/.test(l)), `${n} trays`).toHaveLength(2);
      expect(page.some((l) => l.includes('Supervisor')), `${n} trays`).toBe(true);
      expect(pages.slice(where + 1).join('').trim(), `${n} trays: nothing after the signatures`).toBe('');
    }
    write.close();
    // the table pushed the block over a page end at least once
    expect(seen.size).toBeGreaterThan(1);
  }, 120_000);
});
