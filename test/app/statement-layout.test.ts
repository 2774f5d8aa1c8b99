// Issue 16 item 9 (with issue 14 item 11): the statement's trays table, drawn with PDFKit's own
// tables, over several pages of trays whose labels are as long as a label may be (40
// characters: words, hyphenated runs, one unbroken run). Read back with each word's position
// (pdftotext -bbox), as a person reading the page would see it: every label whole in its row and
// in order (a row moved to the next page whole, never split with a part lost), no word running
// past its column or over another word, every page of the table headed by its column headings,
// and the signature block on one page, the last.
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/main/app/index';
import { writeStatementPdf } from '../../electron/main/app/reports/statement';
import { dayAtTheCentre, HEADER, registerRow, startApp, tempDir } from './helpers';

interface Word {
  page: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

/** Every word of the PDF with its box, page by page, top to bottom. */
function wordsOf(path: string): Word[] {
  const xml = execFileSync('/usr/bin/pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' });
  const words: Word[] = [];
  xml.split('<page ').slice(1).forEach((page, i) => {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g))
      words.push({ page: i + 1, x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: m[5]!.replaceAll('&amp;', '&').replaceAll('&apos;', "'") });
  });
  return words;
}

const TRAYS = 90;

/** Labels of 40 characters, the longest allowed (shared/api/contract.ts openBatch). */
function labelOf(n: number): string {
  const id = String(n).padStart(3, '0');
  const kinds = [
    `${id} North hall table twelve, left-hand box`,
    `${id} Overflow-north-hall-table-twelve-left-`,
    `${id}${'W'.repeat(40)}`,
  ];
  return kinds[n % 3]!.slice(0, 40);
}

describe('the statement PDF over several pages of long tray labels', () => {
  it('prints every label whole in its row, nothing past its column or over another word, the signature block together on the last page', async () => {
    const t = await startApp();
    await dayAtTheCentre(t, { registerCsv: HEADER + registerRow(1, 1, 'issued', 'M-1') });
    const db = new Database(join(t.dir, DATABASE_FILE));
    const sam = (db.prepare("SELECT id FROM people WHERE name = 'Sam'").get() as { id: string }).id;
    const labels: string[] = [];
    for (let n = 1; n <= TRAYS; n++) {
      const open = n === TRAYS; // one tray still open: the statement is PROVISIONAL, with its header on every page
      const opened = new Date(Date.parse('2026-11-25T08:00:00.000Z') + n * 60_000).toISOString();
      db.prepare('INSERT INTO batches (id, label, opened_at, opened_by, closed_at, closed_by, physical_count) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        `b-${n}`,
        labelOf(n),
        opened,
        sam,
        open ? null : '2026-11-25T17:00:00.000Z',
        open ? null : sam,
        open ? null : n % 10 === 0 ? 1 : 0, // every tenth a discrepancy, explained on a line of its own
      );
      if (!open) for (const place of ['tray', 'SET-ASIDE', 'LATE']) db.prepare('INSERT INTO batch_place_counts (batch_id, place, physical_count) VALUES (?, ?, ?)').run(`b-${n}`, place, place === 'tray' && n % 10 === 0 ? 1 : 0);
      labels.push(labelOf(n));
    }
    const path = join(tempDir(), 'statement.pdf');
    await writeStatementPdf(db, path, t.clock.now(), { status: 'offline', reason: 'not enrolled: working offline' });
    db.close();
    const words = wordsOf(path);
    const pages = Math.max(...words.map((w) => w.page));

    // The table: from its header row to the heading after it.
    const header = words.find((w, i) => w.text === 'Tray' && words[i + 1]?.text === 'Expected')!;
    expect(header).toBeDefined();
    const titles = ['Tray', 'Expected', 'Envelopes', 'Flagged', 'In', 'SET-ASIDE', 'LATE', 'Discrepancy', 'Closed'];
    const edges = [
      ...titles.map((title) => words.find((w) => w.page === header.page && Math.abs(w.y0 - header.y0) < 0.5 && w.text === title)!.x0),
      words.find((w) => w.text === 'PROVISIONAL')!.x0 + 495, // the right margin: A4 less 2 × 50 points
    ];
    const after = words.findIndex((w, i) => w.text === 'Audit' && words[i + 1]?.text === 'chain');
    const start = words.indexOf(header);
    const pageTop = 45; // the provisional header at the top of each page is not the table's
    const table = words.slice(start, after).filter((w) => w.y0 > pageTop);
    // a discrepancy's explanation is a line across the row, indented: not in the columns
    const noteLines = new Set(table.filter((w) => w.x0 > edges[0]! + 5 && w.x0 < edges[0]! + 15).map((w) => `${w.page}:${w.y0.toFixed(1)}`));
    // the column headings, on the table's first page and again at the top of every page it runs onto
    const lineOf = (w: Word) => `${w.page}:${w.y0.toFixed(1)}`;
    const headingLines = table.filter((w, i) => w.text === 'Tray' && table[i + 1]?.text === 'Expected').map((w) => ({ page: w.page, y0: w.y0, line: lineOf(w) }));
    const cells = table.filter((w) => !noteLines.has(lineOf(w)) && !headingLines.some((h) => h.line === lineOf(w)));
    expect(noteLines.size).toBeGreaterThanOrEqual(Math.floor(TRAYS / 10) - 1);

    // Nothing past its column's right edge (a word PDFKit clipped would be cut on paper).
    const column = (w: Word) => edges.findLastIndex((e) => w.x0 >= e - 0.5);
    const past = cells.filter((w) => w.x1 > edges[column(w) + 1]! + 0.5).map((w) => `page ${w.page}: "${w.text}" ends at ${w.x1.toFixed(1)}`);
    expect(past).toEqual([]);

    // No word over another (a row drawn in a larger type than it was measured in overlaps the next).
    const overlaps: string[] = [];
    for (let p = 1; p <= pages; p++) {
      const on = words.filter((w) => w.page === p);
      for (let i = 0; i < on.length; i++)
        for (let j = i + 1; j < on.length; j++) {
          const [a, b] = [on[i]!, on[j]!];
          const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
          const dy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
          if (dx > 0.5 && dy > 2) overlaps.push(`page ${p}: "${a.text}" over "${b.text}"`);
        }
    }
    expect(overlaps).toEqual([]);

    // Rows: each begins where its "Closed" cell is; the label's words below it, up to the next
    // row on the same page, are that row's. A label word above every row of its page would be
    // a row split over a page end.
    const belowHeader = (w: Word) => w.page > header.page || w.y0 > header.y1;
    const rowsTop = cells.filter((w) => column(w) === titles.length - 1 && belowHeader(w));
    const rowLabels = rowsTop.map(() => [] as string[]);
    const orphans: string[] = [];
    for (const w of cells.filter((c) => column(c) === 0 && belowHeader(c))) {
      const row = rowsTop.findLastIndex((r) => r.page === w.page && r.y0 <= w.y0 + 0.5);
      if (row === -1) orphans.push(`page ${w.page}: "${w.text}"`);
      else rowLabels[row]!.push(w.text);
    }
    expect(orphans).toEqual([]);
    expect(rowLabels.map((parts) => parts.join(''))).toEqual(labels.map((l) => l.replace(/\s+/g, '')));
    // the table runs over three pages at least, and each of its pages begins with the headings
    const tablePages = [...new Set(rowsTop.map((r) => r.page))];
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    const headed = tablePages.filter((p) => {
      const heading = headingLines.find((h) => h.page === p);
      return heading !== undefined && rowsTop.filter((r) => r.page === p).every((r) => r.y0 > heading.y0);
    });
    expect(headed).toEqual(tablePages);

    // The signature block: both signers, each with a Date, on one page, the last.
    const signing = words.find((w) => w.text === 'Returning' && words[words.indexOf(w) + 1]?.text === 'officer')!.page;
    expect(words.filter((w) => w.text === 'Date:').map((w) => w.page)).toEqual([signing, signing]);
    expect(words.filter((w) => w.text === 'Signature:').map((w) => w.page)).toEqual([signing, signing]);
    expect(words.some((w) => w.text === 'Supervisor' && w.page === signing)).toBe(true);
    expect(signing).toBe(pages);
  }, 60_000);
});
