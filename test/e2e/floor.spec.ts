// Issue 14 items 1, 2, 4, 6 and 7 — the counting floor as it really is — in Chromium through
// the headless host, by the accessible names of contracts.md §6: a read the desk did not
// record says so loudly and stays listed; a scan into the sign-in or lock screen spends no PIN
// try; verdicts do not outlive their envelope; the keyboard reaches everything; the header
// stays on one row and always says how much waits.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { formatBarcode } from '../../shared/barcode/barcode';
import { addPerson, apiCall, createFirstSupervisor, loadRegister, OPERATOR, openTray, scannerBurst, scanResult, signIn, signOut, SUPERVISOR, workOffline } from './desk';
import { evidence } from './evidence';
import { startHost, type RunningHost } from './host';
import { issued, registerCsv } from './register-fixture';

let host: RunningHost;
test.beforeEach(async ({ page }) => {
  host = await startHost();
  // Every tone the page plays, by frequency: the reject sound is a 180 Hz buzz (lib/sound.ts).
  await page.addInitScript(() => {
    const w = window as unknown as { __tones: number[] };
    w.__tones = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      w.__tones.push(this.frequency.value);
      return start.apply(this, args);
    };
  });
});
test.afterEach(async () => {
  if (host.process.exitCode === null) host.process.kill('SIGCONT');
  await host.stop();
});

const field = (page: Page) => page.getByRole('textbox', { name: 'Ballot barcode' });
const notRecorded = (page: Page) => page.getByRole('region', { name: 'Not recorded reads' });
const syncStatus = (page: Page) => page.getByRole('status', { name: 'Sync status' });
const rejectTones = (page: Page) => page.evaluate(() => (window as unknown as { __tones: number[] }).__tones.filter((hz) => hz === 180).length);

async function scan(page: Page, barcode: string): Promise<void> {
  await page.keyboard.type(barcode, { delay: 1 });
  await page.keyboard.press('Enter');
}

async function deskWithTray(page: Page): Promise<void> {
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, 1022);
  await loadRegister(page, registerCsv(40, 0, 0, 0));
  await page.reload();
  await openTray(page, 'T-1');
}

function receipts(): string[] {
  const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT barcode FROM receipts ORDER BY barcode').pluck().all() as string[];
  } finally {
    db.close();
  }
}

test('a read the desk does not confirm within 2 s, or cannot be sent, is Not recorded, loudly, and listed until recorded', async ({ page }) => {
  test.setTimeout(120_000);
  await deskWithTray(page);
  await scan(page, issued(1));
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(1))}`);
  await expect(page.getByRole('alert').filter({ hasText: 'Desk not responding' })).toHaveCount(0);
  const tonesBefore = await rejectTones(page);

  // The core frozen (it does not answer): two envelopes scanned.
  host.process.kill('SIGSTOP');
  await scan(page, issued(2));
  await scan(page, issued(3));
  await expect(scanResult(page)).toHaveText(`Not recorded — scan it again ${formatBarcode(issued(3))}`, { timeout: 6_000 });
  await expect(notRecorded(page).getByRole('listitem')).toHaveCount(2);
  await expect(notRecorded(page)).toContainText(formatBarcode(issued(2)));
  await expect(notRecorded(page)).toContainText(formatBarcode(issued(3)));
  await expect(page.getByRole('alert').filter({ hasText: 'Desk not responding' })).toBeVisible();
  await expect(syncStatus(page)).not.toContainText('Up to date');
  await expect(syncStatus(page)).toContainText('Offline');
  await expect.poll(() => rejectTones(page)).toBe(tonesBefore + 2);
  await expect(page.getByRole('region', { name: 'Last scans' }).locator('.recent-verdict').first()).toHaveText(`Not recorded — scan it again ${formatBarcode(issued(3))}`);
  await evidence(page, 'i14-01-not-recorded');

  // The core continues: the read that was in flight is answered late and recorded — its list
  // entry goes; the panel still shows the other, which really was not recorded.
  host.process.kill('SIGCONT');
  await expect(notRecorded(page).getByRole('listitem')).toHaveCount(1, { timeout: 10_000 });
  await expect(notRecorded(page)).toContainText(formatBarcode(issued(3)));
  await expect(scanResult(page)).toHaveText(`Not recorded — scan it again ${formatBarcode(issued(3))}`);
  await expect(page.getByRole('region', { name: 'Last scans' })).toContainText(`Recorded ${formatBarcode(issued(2))} (answered late)`);
  // Scanned again: recorded, the list empties, the header calms down.
  await scan(page, issued(3));
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(3))}`);
  await expect(notRecorded(page)).toHaveCount(0);
  await expect(page.getByRole('alert').filter({ hasText: 'Desk not responding' })).toHaveCount(0);

  // A late answer about the envelope the panel shows: the panel does not keep saying Not recorded.
  host.process.kill('SIGSTOP');
  await scan(page, issued(4));
  await expect(scanResult(page)).toHaveText(`Not recorded — scan it again ${formatBarcode(issued(4))}`, { timeout: 6_000 });
  host.process.kill('SIGCONT');
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(4))}`, { timeout: 10_000 });
  await expect(page.locator('.verdict-when')).toContainText('the desk answered late: this envelope is recorded after all');
  await expect(notRecorded(page)).toHaveCount(0);

  // The core stopped (the call fails at once): both envelopes Not recorded, listed, not stored.
  await host.stop();
  await scan(page, issued(5));
  await scan(page, issued(6));
  await expect(scanResult(page)).toHaveText(`Not recorded — scan it again ${formatBarcode(issued(6))}`);
  await expect(notRecorded(page).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('alert').filter({ hasText: 'Desk not responding' })).toBeVisible();
  await expect.poll(() => rejectTones(page)).toBe(tonesBefore + 5);
  expect(receipts()).toEqual([1, 2, 3, 4].map(issued));
});

test('a scan into the sign-in or lock screen is Not recorded — sign in first and spends no PIN try; the lock names who and why', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, 1022);
  // "Olive Operator" comes first in the list: the lock must choose the supervisor it locked.
  await addPerson(page, OPERATOR, 'operator');
  await apiCall(page, 'updateSettings', { idleLockMinutes: 1 });
  const failedPins = () => {
    const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT name, failed_attempts AS n FROM people ORDER BY name').all() as Array<{ name: string; n: number }>;
    } finally {
      db.close();
    }
  };
  const alert = page.getByRole('alert');
  const pin = page.getByLabel('PIN', { exact: true });

  // The sign-in screen: an envelope typed by a scanner (16 digits, then Enter).
  await signOut(page);
  await pin.focus();
  await scan(page, issued(1));
  await expect(alert).toHaveText('Not recorded — sign in first');
  await expect(pin).toHaveValue('');
  await expect.poll(() => rejectTones(page)).toBe(1);
  await evidence(page, 'i14-02-sign-in-scan-refused');

  // The idle lock: the supervisor was signed in; the screen says why, and has them chosen.
  await signIn(page, SUPERVISOR);
  await expect(field(page)).toBeFocused();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('The screen locked after 1 minute without use')).toBeVisible();
  const chosen = page.getByRole('combobox', { name: 'Operator' });
  await expect(chosen.locator('option:checked')).toHaveText(SUPERVISOR.name);
  await expect(pin).toBeFocused();
  await evidence(page, 'i14-03-idle-lock');

  // Two envelopes scanned into the lock screen: an AIM-prefixed read and a plain one, each
  // typed as a USB scanner types (1 ms a character); and a short fast burst (8 digits).
  for (const typed of [`]C0${issued(2)}`, issued(3), '10220001']) {
    const tones = await rejectTones(page);
    await scannerBurst(page, [{ typed }]);
    await expect(alert).toHaveText('Not recorded — sign in first');
    await expect.poll(() => rejectTones(page)).toBe(tones + 1);
  }
  expect(failedPins()).toEqual([
    { name: OPERATOR.name, n: 0 },
    { name: SUPERVISOR.name, n: 0 },
  ]);
  // A person's wrong PIN still counts (the count above could move), and the right one signs in.
  await pin.fill('000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alert).toContainText('Wrong PIN');
  expect(failedPins()).toEqual([
    { name: OPERATOR.name, n: 0 },
    { name: SUPERVISOR.name, n: 1 },
  ]);
  await pin.fill(SUPERVISOR.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(field(page)).toBeFocused();
  expect(receipts()).toEqual([]);
});

test('a verdict shows its time, steps back after a few seconds, and goes with its tray; with no tray the panel says to open one', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, 1022);
  await loadRegister(page, registerCsv(40, 0, 0, 0));
  await page.reload();
  await expect(scanResult(page)).toHaveText('No tray is open: press Open batch (F2) first');

  // Rejected for want of a tray; opening one clears it.
  await scan(page, issued(1));
  await expect(scanResult(page)).toHaveText(`Rejected: no tray is open — open a batch first ${formatBarcode(issued(1))}`);
  await openTray(page, 'T-1');
  await expect(scanResult(page)).toHaveText('Ready: scan an envelope into tray T-1');

  // A verdict: its time, then after a few seconds the neutral heading with the verdict smaller.
  await scan(page, issued(1));
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(1))}`);
  const panel = page.locator('.scan-result');
  await expect(panel.locator('.verdict-when time')).toHaveText(/^\d\d:\d\d:\d\d/);
  await expect(panel).toHaveClass(/verdict-recorded/);
  await expect(panel.getByText('Ready: scan an envelope into tray T-1')).toBeHidden();
  await expect(panel).toHaveClass(/scan-result-settled/, { timeout: 10_000 });
  await expect(panel.getByText('Ready: scan an envelope into tray T-1')).toBeVisible();
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(1))}`);
  await expect(panel.getByText('Last read:')).toBeVisible();
  await evidence(page, 'i14-04-verdict-settled');

  // Closing the tray clears the panel too.
  await scan(page, issued(2));
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(2))}`);
  await page.getByRole('button', { name: 'Close batch', exact: true }).click();
  await page.getByRole('textbox', { name: 'Physical count' }).fill('2');
  await page.getByRole('button', { name: 'Confirm close' }).click();
  await expect(scanResult(page)).toHaveText('No tray is open: press Open batch (F2) first');
  await expect(field(page)).toBeFocused();
});

test('the keyboard leaves the field and comes back; function keys for the main actions; Cancel on every dialog', async ({ page }) => {
  test.setTimeout(120_000);
  await deskWithTray(page);
  await expect(field(page)).toBeFocused();
  // §6 names unchanged by the visible key hints (exact match)
  for (const [name, key] of [
    ['Manual entry', 'F4'],
    ['Open batch', 'F2'],
    ['Close batch', 'F3'],
    ['Sign out', 'F9'],
  ] as const) {
    const button = page.getByRole('button', { name, exact: true });
    await expect(button).toHaveAttribute('aria-keyshortcuts', key);
    await expect(button).toContainText(key);
  }

  // Tab and Shift+Tab move on from the empty field.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Manual entry', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Camera', exact: true })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(field(page)).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(field(page)).not.toBeFocused();

  // The first digit typed anywhere goes to the field, and the whole read with it.
  await page.getByRole('button', { name: 'Close batch', exact: true }).focus();
  await scan(page, issued(1));
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(1))}`);
  await expect(field(page)).toBeFocused();
  // A verdict that comes while focus is on a button brings focus back to the field: the core
  // held (frozen) while the operator tabs away, then the verdict (here `Not recorded` at 2 s).
  host.process.kill('SIGSTOP');
  await scan(page, issued(2));
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Manual entry', exact: true })).toBeFocused();
  await expect(scanResult(page)).toContainText('Not recorded', { timeout: 6_000 });
  await expect(field(page)).toBeFocused();
  host.process.kill('SIGCONT');
  await expect(notRecorded(page)).toHaveCount(0, { timeout: 10_000 });

  // Enter on a button reached by Tab works; the dialog's Cancel brings focus back.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const manual = page.getByRole('dialog', { name: 'Manual entry' });
  await expect(manual).toBeVisible();
  await manual.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(manual).toBeHidden();
  await expect(field(page)).toBeFocused();

  // Function keys: F4 Manual entry, F3 Close batch, F2 Open batch — each dialog with one Cancel.
  for (const [key, title] of [
    ['F4', 'Manual entry'],
    ['F3', 'Close batch'],
  ] as const) {
    await page.keyboard.press(key);
    const dialog = page.getByRole('dialog', { name: title });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(1);
    await evidence(page, `i14-05-${key}-${title.toLowerCase().replace(' ', '-')}`);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).press('Enter');
    await expect(dialog).toBeHidden();
    await expect(field(page)).toBeFocused();
  }
  await page.keyboard.press('F3');
  await page.getByRole('textbox', { name: 'Physical count' }).fill('2');
  await page.getByRole('button', { name: 'Confirm close' }).click();
  await expect(field(page)).toBeFocused();
  await expect(page.getByRole('button', { name: 'Open batch', exact: true })).toBeEnabled();
  await page.keyboard.press('F2');
  const open = page.getByRole('dialog', { name: 'Open batch' });
  await expect(open.getByRole('button', { name: 'Cancel', exact: true })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(open).toBeHidden();
  await expect(field(page)).toBeFocused();

  // A dialog elsewhere (People, Add person) has its Cancel too.
  await page.getByRole('navigation').getByRole('link', { name: 'People', exact: true }).click();
  await page.getByRole('button', { name: 'Add person' }).click();
  const add = page.getByRole('dialog', { name: 'Add person' });
  await add.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(add).toBeHidden();

  // F9 signs out.
  await page.keyboard.press('F9');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('the header: one row at 1280×800, N waiting always, the detail on demand, "Working offline — not enrolled"', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(host.url);
  await createFirstSupervisor(page, { name: 'Samantha Bartholomew-Fitzgerald Supervisor', pin: '246810' });
  await apiCall(page, 'configureOffline', {
    electionNumber: 1022,
    electionName: 'Leadership election',
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    workstationName: 'North counting hall, desk 14 by the loading bay',
  });
  await loadRegister(page, registerCsv(40, 0, 0, 0));
  await page.reload();
  await openTray(page, 'T-1');
  await scan(page, issued(1));
  await expect(scanResult(page)).toHaveText(`Recorded ${formatBarcode(issued(1))}`);

  const header = page.getByRole('banner');
  await expect(header.getByText('Working offline — not enrolled')).toBeVisible();
  await expect(header).not.toContainText('last success never');
  await expect(syncStatus(page)).toHaveText(/^Offline · \d+ waiting/);

  const oneRow = async () => {
    const first = (await page.getByRole('navigation').getByRole('link').first().boundingBox())!;
    const out = (await page.getByRole('button', { name: 'Sign out', exact: true }).boundingBox())!;
    const bar = (await header.boundingBox())!;
    expect(Math.abs(first.y + first.height / 2 - (out.y + out.height / 2))).toBeLessThan(8);
    expect(out.x + out.width).toBeLessThanOrEqual(1280);
    return bar.height;
  };
  const height = await oneRow();
  await evidence(page, 'i14-06-header-1280');

  // The desk not answering: said in the header, still one row, the same height (nothing jumps).
  await host.stop();
  await scan(page, issued(2));
  await expect(page.getByRole('alert').filter({ hasText: 'Desk not responding' })).toBeVisible();
  await expect(syncStatus(page)).toHaveText(/^Offline/);
  expect(await oneRow()).toBe(height);
  // The detail, on demand: hidden until asked for, then in words.
  const details = page.getByRole('button', { name: 'Sync details' });
  await expect(details).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByText('The desk is not responding to this screen')).toBeHidden();
  await details.click();
  await expect(page.getByText('The desk is not responding to this screen')).toBeVisible();
  expect(await oneRow()).toBe(height);
  await evidence(page, 'i14-07-header-desk-down-details');
});
