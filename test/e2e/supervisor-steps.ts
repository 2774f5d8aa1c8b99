// Steps of the supervisor's day shared by the issue 7 specs (offline desk and two desks with
// the central server): scanning a list of reads, closing a tray, deciding flags alone or in
// groups, and downloading the end-of-day statement with its PDF text and CSV figures.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { formatBarcode, normaliseBarcodeInput } from '../../shared/barcode/barcode';
import { DECISION_LABELS, DECISIONS, FLAG_KINDS, FLAG_LABELS, type Decision, type FlagKind } from '../../shared/domain';
import { scannerBurst, shownScanId } from './desk';

/**
 * Types every read as a scanner does and waits until each has its verdict on screen. Then does
 * what an operator does with the screen's `Not recorded` list (a desk starved of CPU on a shared
 * machine may leave a call unanswered 2 s, and every read queued behind it is then Not recorded,
 * never sent): scans those envelopes again until the list is empty. Each re-scan is logged, so a
 * run where the desk stalled says so.
 */
export async function scanAll(page: Page, barcodes: string[], readEveryMs = 50): Promise<void> {
  const before = await shownScanId(page);
  await scannerBurst(
    page,
    barcodes.map((typed) => ({ typed })),
    1,
    readEveryMs,
  );
  // at least one verdict per read: a read answered after its `Not recorded` shows a second one
  await expect.poll(() => shownScanId(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(before + barcodes.length);
  for (let round = 1; round <= 5; round++) {
    // each listed read carries its normalised barcode (data-read-key), as the scan queue keys it
    const listed = await page.getByRole('region', { name: 'Not recorded reads' }).locator('li[data-read-key]').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-read-key')!));
    if (listed.length === 0) return;
    const again = listed.map((key) => {
      const typed = barcodes.find((b) => normaliseBarcodeInput(b) === key);
      if (typed === undefined) throw new Error(`the desk lists a read this step did not make: ${key}`);
      return typed;
    });
    console.log(`scanAll: the desk did not record ${again.length} read(s); scanning them again (round ${round})`);
    await scanAll(page, again, readEveryMs);
  }
  throw new Error('reads still Not recorded after five rounds of scanning them again');
}

/**
 * Closes the open tray with what was counted in the tray itself and in each pocket (issue 14
 * item 3), or, where what the desk judged depends on what it had heard from the server, with the
 * numbers the dialog says the scans put in each place.
 */
export async function closeTray(page: Page, counts: { tray: number; setAside?: number; late?: number } | 'as scanned'): Promise<void> {
  await page.getByRole('button', { name: 'Close batch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close batch' });
  let c = counts;
  if (c === 'as scanned') {
    const summary = dialog.getByText(/in the tray itself, \d+ in SET-ASIDE, \d+ in LATE\.$/);
    await expect(summary).toBeVisible();
    const [, tray, setAside, late] = /(\d+) in the tray itself, (\d+) in SET-ASIDE, (\d+) in LATE\.$/.exec((await summary.textContent()) ?? '')!;
    c = { tray: Number(tray), setAside: Number(setAside), late: Number(late) };
  }
  await dialog.getByRole('textbox', { name: 'Physical count' }).fill(String(c.tray));
  if (c.setAside !== undefined) await dialog.getByRole('textbox', { name: 'SET-ASIDE count' }).fill(String(c.setAside));
  if (c.late !== undefined) await dialog.getByRole('textbox', { name: 'LATE count' }).fill(String(c.late));
  await dialog.getByRole('button', { name: 'Confirm close' }).click();
  await expect(page.getByText(/Tray .* closed:/)).toBeVisible();
}

/** Filters the review to one kind and open flags, selects every row, decides them together. */
export async function decideGroup(page: Page, kind: FlagKind, label: string, decision: string, expected: number): Promise<void> {
  await page.getByRole('combobox', { name: 'Kind' }).selectOption(kind);
  await page.getByRole('combobox', { name: 'State' }).selectOption('open');
  await expect(page.locator('.filter-count')).toHaveText(`${expected} flag${expected === 1 ? '' : 's'}`);
  const boxes = page.getByRole('table', { name: 'Flags' }).getByRole('checkbox');
  await expect(boxes).toHaveCount(expected);
  for (const box of await boxes.all()) await box.check();
  await page.getByRole('button', { name: `Decide selected (${expected})` }).click();
  const dialog = page.getByRole('dialog', { name: `Decide ${expected} flags together` });
  await expect(dialog.getByRole('button', { name: decision })).toBeEnabled();
  await dialog.getByRole('textbox', { name: 'Note' }).fill(`${label}: decided together`);
  await dialog.getByRole('button', { name: decision }).click();
  await expect(page.getByRole('status').filter({ hasText: `${decision}: ${expected} of ${expected} flags decided.` })).toBeVisible();
}

/** Opens the flag of a kind on that envelope; returns its dialog. */
export async function openFlag(page: Page, kind: FlagKind, barcode: string) {
  await page.getByRole('combobox', { name: 'Kind' }).selectOption(kind);
  await page.getByRole('combobox', { name: 'State' }).selectOption('');
  await page.getByRole('row').filter({ hasText: formatBarcode(barcode) }).click();
  const dialog = page.getByRole('dialog', { name: `Flag ${formatBarcode(barcode)}` });
  await expect(dialog.getByRole('table', { name: 'Envelopes of this member' })).toBeVisible();
  return dialog;
}

/** Decides the open flag of that kind on that envelope alone, with a note. */
export async function decideOne(page: Page, kind: FlagKind, barcode: string, decision: string, note: string): Promise<void> {
  const dialog = await openFlag(page, kind, barcode);
  await dialog.getByRole('textbox', { name: 'Note' }).fill(note);
  await dialog.getByRole('button', { name: decision }).click();
  await expect(page.getByRole('status').filter({ hasText: `${decision}: 1 of 1 flag decided.` })).toBeVisible();
}

export interface Statement {
  /** the PDF's text, laid out (pdftotext -layout) */
  text: string;
  /** the CSV's figures by `section.name` */
  csv: Map<string, string>;
}

/** Downloads the end-of-day statement as PDF and CSV from the Dashboard screen, into `dir`. */
export async function downloadStatement(page: Page, dir: string): Promise<Statement> {
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'End-of-day statement (PDF)' }).click();
  const pdfPath = join(dir, 'statement.pdf');
  await (await pdfDownload).saveAs(pdfPath);
  await expect(page.getByRole('status').filter({ hasText: /Saved statement.*SHA-256/ })).toBeVisible();
  const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'End-of-day statement (CSV)' }).click();
  const csvPath = join(dir, 'statement.csv');
  await (await csvDownload).saveAs(csvPath);
  const csv = new Map(
    readFileSync(csvPath, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.split(','))
      .map((c) => [`${c[0]}.${c[1]}`, c[2] ?? ''] as const),
  );
  return { text, csv };
}

/** What a desk's SQLite file holds, counted independently of the app's statement code. */
export interface DeskFigures {
  /** physical envelopes: receipts, an envelope re-scanned in its own tray once */
  received: number;
  /** receipts recorded */
  receipts: number;
  flaggedByKind: Record<FlagKind, number>;
  /** the latest decision of each flag that the server did not refuse, by decision; `open` when none */
  decisions: Record<Decision | 'open', number>;
  traysWithDiscrepancy: number;
  /** receipt id → its flag's latest decision (or `open`), for flagged receipts */
  latestByReceipt: Map<string, Decision | 'open'>;
}

export function deskFigures(dataDir: string): DeskFigures {
  const db = new Database(join(dataDir, 'ballot-intake.sqlite'), { readonly: true });
  try {
    const receipts = (db.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n;
    const received = (db.prepare('SELECT count(*) AS n FROM (SELECT DISTINCT batch_id, barcode FROM receipts)').get() as { n: number }).n;
    const flags = db
      .prepare(
        `SELECT f.receipt_id, f.kind,
                (SELECT d.decision FROM decisions d LEFT JOIN decision_refusals x ON x.decision_id = d.id
                  WHERE d.flag_id = f.id AND x.decision_id IS NULL ORDER BY d.decided_at DESC, d.rowid DESC LIMIT 1) AS latest
           FROM flags f`,
      )
      .all() as Array<{ receipt_id: string; kind: FlagKind; latest: Decision | null }>;
    const flaggedByKind = Object.fromEntries(FLAG_KINDS.map((k) => [k, 0])) as Record<FlagKind, number>;
    const decisions = Object.fromEntries([...DECISIONS, 'open'].map((d) => [d, 0])) as Record<Decision | 'open', number>;
    const latestByReceipt = new Map<string, Decision | 'open'>();
    for (const f of flags) {
      flaggedByKind[f.kind]++;
      decisions[f.latest ?? 'open']++;
      latestByReceipt.set(f.receipt_id, f.latest ?? 'open');
    }
    // Each place of a closed tray against the envelopes its verdicts put there: an envelope is
    // where its latest receipt in the tray put it (a desk flag's pocket, otherwise the tray).
    const traysWithDiscrepancy = (
      db
        .prepare(
          `WITH latest AS (
             SELECT r.batch_id,
                    CASE WHEN r.desk_outcome = 'flagged' THEN CASE WHEN f.kind = 'late_return' THEN 'LATE' ELSE 'SET-ASIDE' END ELSE 'tray' END AS place
               FROM receipts r LEFT JOIN flags f ON f.receipt_id = r.id AND f.raised_by = 'desk'
              WHERE NOT EXISTS (SELECT 1 FROM receipts l WHERE l.batch_id = r.batch_id AND l.barcode = r.barcode AND l.seq > r.seq)),
           placed AS (SELECT batch_id, place, count(*) AS n FROM latest GROUP BY batch_id, place)
           SELECT count(DISTINCT c.batch_id) AS n
             FROM batch_place_counts c LEFT JOIN placed p ON p.batch_id = c.batch_id AND p.place = c.place
            WHERE c.physical_count <> COALESCE(p.n, 0)`,
        )
        .get() as { n: number }
    ).n;
    return { received, receipts, flaggedByKind, decisions, traysWithDiscrepancy, latestByReceipt };
  } finally {
    db.close();
  }
}

/** The statement's PDF text and CSV both carry the desk database's figures. */
export function expectStatementToMatch(st: Statement, f: DeskFigures): void {
  const flagged = FLAG_KINDS.reduce((s, k) => s + f.flaggedByKind[k], 0);
  expect(st.text).toMatch(new RegExp(`Envelopes received: ${f.received}\\b`));
  expect(st.text).toMatch(new RegExp(`Receipts recorded \\(envelopes received and their re-scans\\): ${f.receipts}\\b`));
  expect(st.text).toMatch(new RegExp(`Accepted: ${f.receipts - flagged}\\b`));
  expect(st.text).toMatch(new RegExp(`Flagged: ${flagged}\\b`));
  // People read the words of contracts.md §4 on the statement; the codes are in the CSV.
  for (const k of FLAG_KINDS) expect(st.text).toMatch(new RegExp(`${FLAG_LABELS[k]}: ${f.flaggedByKind[k]}\\b`));
  for (const d of DECISIONS) expect(st.text).toMatch(new RegExp(`${DECISION_LABELS[d]}: ${f.decisions[d]}\\b`));
  expect(st.text).toMatch(new RegExp(`with a discrepancy: ${f.traysWithDiscrepancy}\\b`));
  expect(st.text).toContain('Signature');
  expect(st.csv.get('totals.received')).toBe(String(f.received));
  expect(st.csv.get('totals.receipts')).toBe(String(f.receipts));
  expect(st.csv.get('totals.accepted')).toBe(String(f.receipts - flagged));
  expect(st.csv.get('totals.flagged')).toBe(String(flagged));
  for (const k of FLAG_KINDS) expect(st.csv.get(`flagged_by_kind.${k}`)).toBe(String(f.flaggedByKind[k]));
  for (const d of [...DECISIONS, 'open'] as const) expect(st.csv.get(`decisions_by_kind.${d}`)).toBe(String(f.decisions[d]));
  expect(st.csv.get('trays.with_discrepancy')).toBe(String(f.traysWithDiscrepancy));
}
