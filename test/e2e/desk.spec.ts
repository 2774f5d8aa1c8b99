// Issue 6, the operator's desk, end to end in Chromium through the headless host (real app
// core, real SQLite): first-run setup through the screens, 500 reads typed as a scanner types
// them covering every verdict and flag kind, manual entry, trays, focus, sign-in lockout
// and the idle lock. Every screen is photographed and checked with axe-core.
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';
import { FLAG_INSTRUCTIONS, FLAG_WORDS, type FlagKind } from '../../shared/domain';
import { addPerson, apiCall, createFirstSupervisor, loadRegister, OPERATOR, openTray, scannerBurst, scanResult, shownScanId, signIn, signOut, SUPERVISOR, workOffline } from './desk';
import { evidence } from './evidence';
import { startHost, type RunningHost } from './host';
import { cancelled, ELECTION, issued, markOnlineVoters, registerCsv, replacedNew, replacedOld, unknownBallot, votedOnline } from './register-fixture';

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

const field = (page: Page) => page.getByRole('textbox', { name: 'Ballot barcode' });
// People read the words of contracts.md §4; the kind code is in the region's data-flag-kind.
const flaggedText = (kind: FlagKind, b: string) => `Flagged: ${FLAG_WORDS[kind]} ${formatBarcode(b)} — ${FLAG_INSTRUCTIONS[kind]}`;

test('first run: supervisor, election offline, register from a file with progress, then the desk', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'Create supervisor' })).toBeVisible();
  await evidence(page, '01-first-run');
  await createFirstSupervisor(page);

  // Step 1: the election. Enrolment with a server that is not there fails in words.
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await evidence(page, '02-setup');
  await page.getByRole('textbox', { name: 'Server address' }).fill('http://127.0.0.1:9/');
  await page.getByRole('textbox', { name: 'Enrolment code' }).fill('NOSUCHCODE');
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  expect((await page.getByRole('alert').textContent())!.length).toBeGreaterThan(10);
  await page.getByRole('textbox', { name: 'Election number' }).fill(String(ELECTION));
  await page.getByRole('textbox', { name: 'Election name' }).fill('Leadership election');
  await page.getByRole('button', { name: 'Work offline' }).click();
  await expect(page.getByText(`Election ${ELECTION} — Leadership election, working offline.`)).toBeVisible();

  // Step 2: the register, from a file, through the file chooser, with the progress bar.
  const csvPath = join(mkdtempSync(join(tmpdir(), 'register-')), 'register.csv');
  writeFileSync(csvPath, registerCsv(20_000));
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import register file' }).click();
  await (await chooser).setFiles(csvPath);
  const bar = page.getByRole('progressbar', { name: 'Register import' });
  await expect(bar).toBeVisible();
  // One sentence, naming the file chosen (the host stores the upload under an id).
  await expect(page.getByText('Register loaded: 20,140 packs from register.csv.', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(bar).toHaveJSProperty('value', 1);
  await expect(page.getByText('20,140 packs in this workstation')).toBeVisible();
  await evidence(page, '03-setup-register-loaded');

  // Step 3: the desk. Scanning is refused until a tray is open.
  await page.getByRole('button', { name: 'Start scanning' }).click();
  await expect(field(page)).toBeFocused();
  await expect(page.getByText('No tray is open: press Open batch before scanning.')).toBeVisible();
  await page.keyboard.type(issued(1), { delay: 1 });
  await page.keyboard.press('Enter');
  await expect(scanResult(page)).toHaveText(`Rejected: no tray is open — open a batch first ${formatBarcode(issued(1))}`);
  await evidence(page, '04-scan-no-tray');
  await openTray(page, 'T-001', 40);
  for (const [b, name] of [
    [issued(1), '05-scan-recorded'],
    [issued(1), '06-scan-already-recorded'],
    [unknownBallot(1), '07-scan-flagged'],
    ['1022', '08-scan-rejected'],
  ] as const) {
    const before = await shownScanId(page);
    await page.keyboard.type(b, { delay: 1 });
    await page.keyboard.press('Enter');
    await expect.poll(() => shownScanId(page)).toBe(before + 1);
    await evidence(page, name);
  }
  await expect(page.getByRole('status', { name: 'Sync status' })).toHaveText(/.+/);

  await signOut(page);
  await expect(page.getByRole('combobox', { name: 'Operator' })).toBeVisible();
  await evidence(page, '09-sign-in');
});

interface Read {
  typed: string;
  end: 'Enter' | 'Tab';
  /** the `Scan result` words */
  shown: string;
  /** the `Last scans` line */
  line: string;
  receipt?: { barcode: string; kind: FlagKind | null };
}

function recorded(b: string, late: boolean): Omit<Read, 'typed' | 'end'> {
  return late
    ? { shown: flaggedText('late_return', b), line: `Flagged: ${FLAG_WORDS.late_return} ${formatBarcode(b)}`, receipt: { barcode: b, kind: 'late_return' } }
    : { shown: `Recorded ${formatBarcode(b)}`, line: `Recorded ${formatBarcode(b)}`, receipt: { barcode: b, kind: null } };
}
function flagged(kind: FlagKind, b: string): Omit<Read, 'typed' | 'end'> {
  return { shown: flaggedText(kind, b), line: `Flagged: ${FLAG_WORDS[kind]} ${formatBarcode(b)}`, receipt: { barcode: b, kind } };
}

/** 25 blocks of 20 reads; the last block comes after the close of the election. */
function blocks(): Read[][] {
  const out: Read[][] = [];
  let n = 0;
  for (let block = 0; block < 25; block++) {
    const late = block === 24;
    const k = block + 1;
    const reads: Read[] = [];
    const add = (typed: string, r: Omit<Read, 'typed' | 'end'>) =>
      reads.push({ typed, end: reads.length % 7 === 3 ? 'Tab' : 'Enter', ...r });
    for (let i = 0; i < 10; i++) {
      const b = issued(++n);
      // Some scanners send an AIM symbology prefix; some reads are the printed form.
      add(i === 2 ? `]C0${b}` : i === 5 ? formatBarcode(b) : b, recorded(b, late));
    }
    const last = issued(n);
    add(last, { shown: `Already recorded ${formatBarcode(last)}`, line: `Already recorded ${formatBarcode(last)}` });
    add(unknownBallot(k), flagged('unknown_ballot', unknownBallot(k)));
    if (block >= 3) add(issued(n - 35), flagged('duplicate_scan', issued(n - 35)));
    else add(last.slice(0, 15), { shown: 'Rejected: wrong length', line: 'Rejected: wrong length' });
    add(replacedOld(k), flagged('superseded_ballot', replacedOld(k)));
    add(replacedNew(k), flagged('member_already_returned', replacedNew(k)));
    add(cancelled(k), flagged('superseded_ballot', cancelled(k)));
    add(votedOnline(k), flagged('online_vote_cast', votedOnline(k)));
    const bad = last.slice(0, 15) + String((Number(last.at(-1)) + 1) % 10);
    const badWords = `Rejected: check digits do not match (read ${formatBarcode(bad)}): scan it again, or type the printed number with Manual entry`;
    add(bad, { shown: badWords, line: badWords });
    add(`10220${k}ABCDEFGHIJK`.slice(0, 16), { shown: 'Rejected: not digits', line: 'Rejected: not digits' });
    const withCheck = encodeBarcode(1023, n, 1);
    add(withCheck, { shown: `Rejected: election 1023 is not this election ${formatBarcode(withCheck)}`, line: `Rejected: election 1023 is not this election ${formatBarcode(withCheck)}` });
    out.push(reads);
  }
  return out;
}

test('500 reads typed at 1 ms a character, 20 a second: every verdict and flag kind, each once, in order', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await loadRegister(page, registerCsv(2_000, 50, 30, 30));
  markOnlineVoters(host.dataDir, 30);
  // Two seconds: a read of the same envelope within it is a repeat read, later a duplicate.
  await apiCall(page, 'updateSettings', { repeatWindowSeconds: 2 });
  await page.reload();
  await openTray(page, 'T-500');

  const all = blocks();
  const started = performance.now();
  const rates: number[] = [];
  for (const [index, block] of all.entries()) {
    if (index === 24) {
      // The election closes: what arrives now is late.
      await workOffline(page, ELECTION, new Date(Date.now() - 60_000));
    }
    const before = await shownScanId(page);
    rates.push(await scannerBurst(page, block, 1, 50));
    await expect.poll(() => shownScanId(page), { timeout: 20_000 }).toBe(before + block.length);
    const lines = await page.getByRole('region', { name: 'Last scans' }).locator('.recent-verdict').allTextContents();
    expect(lines.slice(0, block.length).reverse(), `block ${index}`).toEqual(block.map((r) => r.line));
    await expect(scanResult(page)).toHaveText(block.at(-1)!.shown);
    await expect(field(page)).toBeFocused();
    await expect(field(page)).toHaveValue('');
  }
  expect(await shownScanId(page)).toBe(500);
  const rate = rates.reduce((a, b) => a + b, 0) / rates.length;
  console.log(`500 reads: ${rate.toFixed(1)} reads/s typed within bursts; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
  expect(rate).toBeGreaterThan(15);

  // Every kind was seen, and the database holds exactly the expected receipts and flags.
  const expected = all.flat().filter((r) => r.receipt).map((r) => r.receipt!);
  const kinds = new Set(expected.map((r) => r.kind).filter(Boolean));
  expect([...kinds].sort()).toEqual(['duplicate_scan', 'late_return', 'member_already_returned', 'online_vote_cast', 'superseded_ballot', 'unknown_ballot']);
  await host.stop();
  const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'), { readonly: true });
  const stored = db.prepare('SELECT r.barcode, r.seq, f.kind FROM receipts r LEFT JOIN flags f ON f.receipt_id = r.id ORDER BY r.seq').all() as Array<{ barcode: string; seq: number; kind: FlagKind | null }>;
  const rejected = (db.prepare("SELECT count(*) AS n FROM audit WHERE event = 'scan.rejected'").get() as { n: number }).n;
  const repeats = (db.prepare("SELECT count(*) AS n FROM audit WHERE event = 'scan.repeat'").get() as { n: number }).n;
  db.close();
  expect(stored.map((r) => ({ barcode: r.barcode, kind: r.kind }))).toEqual(expected);
  expect(stored.map((r) => r.seq)).toEqual(expected.map((_, i) => i + 1));
  expect(rejected).toBe(all.flat().filter((r) => r.shown.startsWith('Rejected')).length);
  expect(repeats).toBe(25);
});

test('manual entry, trays with a discrepancy, focus back on the field after clicks', async ({ page }) => {
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await loadRegister(page, registerCsv(100, 5, 5, 5));
  await addPerson(page, OPERATOR, 'operator');
  await signOut(page);
  await signIn(page, OPERATOR);
  // Operators see the scan screen only.
  await expect(page.getByRole('navigation').getByRole('link')).toHaveText(['Scan']);
  await openTray(page, 'T-010', 5);

  // Focus comes back to the field after a click anywhere on the screen.
  await page.getByRole('region', { name: 'Last scans' }).click();
  await expect(field(page)).toBeFocused();
  await page.getByRole('status', { name: 'Sync status' }).click();
  await expect(field(page)).toBeFocused();

  // Manual entry: the two numbers must match; a supervisor other than the operator confirms
  // with their name and PIN in the same dialog (issue 15 item 3); recorded with source manual.
  await page.getByRole('button', { name: 'Manual entry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Manual entry' });
  await expect(dialog.getByRole('textbox', { name: 'Barcode number', exact: true })).toBeFocused();
  await dialog.getByRole('textbox', { name: 'Barcode number', exact: true }).fill(formatBarcode(issued(7)));
  await dialog.getByRole('textbox', { name: 'Repeat barcode number' }).fill(formatBarcode(issued(8)));
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('barcode torn');
  await dialog.getByRole('button', { name: 'Record' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The two numbers do not match: type the number again.');
  await evidence(page, '10-manual-entry-mismatch');
  await dialog.getByRole('textbox', { name: 'Repeat barcode number' }).fill(formatBarcode(issued(7)));
  // only supervisors other than the signed-in operator can be chosen
  const supervisor = dialog.getByRole('combobox', { name: 'Supervisor', exact: true });
  await expect(supervisor.getByRole('option')).toHaveText(['Choose…', SUPERVISOR.name]);
  await dialog.getByRole('button', { name: 'Record' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('A supervisor other than you must choose their name and type their PIN to confirm.');
  // a wrong PIN: refused in words, counted against the supervisor, the dialog keeps what was typed
  await supervisor.selectOption({ label: SUPERVISOR.name });
  await dialog.getByRole('textbox', { name: 'Supervisor PIN' }).fill('000000');
  await dialog.getByRole('button', { name: 'Record' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Wrong PIN. 4 tries left before the account locks for 5 minutes.');
  await expect(dialog.getByRole('textbox', { name: 'Barcode number', exact: true })).toHaveValue(formatBarcode(issued(7)));
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toHaveValue('barcode torn');
  await evidence(page, '10b-manual-entry-wrong-supervisor-pin');
  await dialog.getByRole('textbox', { name: 'Supervisor PIN' }).fill(SUPERVISOR.pin);
  await dialog.getByRole('button', { name: 'Record' }).click();
  await expect(dialog).toBeHidden();
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(7))}`);
  await expect(field(page)).toBeFocused();

  for (const b of [issued(1), issued(2), issued(3)]) {
    await page.keyboard.type(b, { delay: 1 });
    await page.keyboard.press('Enter');
  }
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(3))}`);
  await expect(page.locator('.count-value')).toHaveText('4');

  // Close the tray with one envelope more than scanned: shown, then recorded.
  await page.getByRole('button', { name: 'Close batch' }).click();
  await page.getByRole('textbox', { name: 'Physical count' }).fill('5');
  await expect(page.getByText('1 more envelopes than scanned: the discrepancy will be recorded.')).toBeVisible();
  await evidence(page, '11-close-batch-discrepancy');
  await page.getByRole('button', { name: 'Confirm close' }).click();
  await expect(page.getByText('Tray T-010 closed: 4 scanned, 5 counted — discrepancy of +1 recorded.')).toBeVisible();
  await expect(field(page)).toBeFocused();
  await page.keyboard.type(issued(9), { delay: 1 });
  await page.keyboard.press('Enter');
  await expect(scanResult(page)).toHaveText(`Rejected: no tray is open — open a batch first ${formatBarcode(issued(9))}`);

  await host.stop();
  const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'), { readonly: true });
  const manual = db.prepare("SELECT r.barcode, r.manual_reason, p.name AS confirmed_by FROM receipts r JOIN people p ON p.id = r.confirmed_by WHERE source = 'manual'").all();
  const failed = db.prepare("SELECT p.name FROM audit a JOIN people p ON p.id = a.actor WHERE a.event = 'signin.failed'").all();
  const batch = db.prepare('SELECT physical_count FROM batches').get() as { physical_count: number };
  const closed = db.prepare("SELECT detail FROM audit WHERE event = 'batch.closed'").get() as { detail: string };
  db.close();
  expect(manual).toEqual([{ barcode: issued(7), manual_reason: 'barcode torn', confirmed_by: SUPERVISOR.name }]);
  expect(failed).toEqual([{ name: SUPERVISOR.name }]);
  expect(batch.physical_count).toBe(5);
  expect(JSON.parse(closed.detail)).toMatchObject({ scanned: 4, physicalCount: 5, discrepancy: 1 });
});

test('sign-in lockout in words; the idle lock brings back the sign-in screen', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await addPerson(page, OPERATOR, 'operator');
  await apiCall(page, 'updateSettings', { idleLockMinutes: 1 });
  await signOut(page);

  await page.getByRole('combobox', { name: 'Operator' }).selectOption({ label: OPERATOR.name });
  let alert = '';
  for (let i = 0; i < 6 && !alert.includes('is locked'); i++) {
    await page.getByLabel('PIN', { exact: true }).fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const previous = alert;
    await expect.poll(async () => (alert = (await page.getByRole('alert').textContent().catch(() => '')) ?? '')).not.toBe(previous);
    if (!alert.includes('is locked')) expect(alert).toMatch(/Wrong PIN\. \d+ tr(y|ies) left/);
  }
  expect(alert).toMatch(/Too many wrong PINs\. This account is locked for \d+ more minutes?/);
  // Even the right PIN is refused while locked.
  await page.getByLabel('PIN', { exact: true }).fill(OPERATOR.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('locked');
  await evidence(page, '12-sign-in-locked');

  // The supervisor is not locked; after a minute without anything done, the screen locks.
  await signIn(page, SUPERVISOR);
  await expect(field(page)).toBeFocused();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('combobox', { name: 'Operator' })).toBeVisible();
});
