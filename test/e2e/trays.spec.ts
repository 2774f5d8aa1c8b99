// Issue 14 item 3, in Chromium: the operator does exactly what every verdict on the screen
// says (an accepted envelope stays in the tray; a flagged one goes to the pocket its words
// name; a repeat read goes back where it was; a re-scan after the 10-second repeat window
// moves the envelope where the new verdict says) and closes every tray, counting the tray
// itself and each pocket, with no discrepancy. An envelope that goes missing is reported in
// words, before and after the close. Every flag names where its envelope is.
import { expect, test, type Page } from '@playwright/test';
import { formatBarcode } from '../../shared/barcode/barcode';
import { apiCall, createFirstSupervisor, goTo, loadRegister, openTray, scanResult, shownScanId, wedgeType, workOffline } from './desk';
import { evidence } from './evidence';
import { startHost, type RunningHost } from './host';
import { cancelled, ELECTION, issued, markOnlineVoters, registerCsv, replacedOld, unknownBallot, votedOnline } from './register-fixture';
import { openFlag } from './supervisor-steps';

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

type Place = 'tray' | 'SET-ASIDE' | 'LATE';

/** The operator's hands: envelopes in the tray itself and in each pocket, bottom first. */
class Hands {
  places: Record<Place, string[]> = { tray: [], 'SET-ASIDE': [], LATE: [] };
  constructor(private readonly page: Page) {}

  /** Picks the envelope up from wherever it is, scans it, reads the verdict, and does what it says. */
  async scan(barcode: string): Promise<string> {
    const was = (Object.keys(this.places) as Place[]).find((p) => this.places[p].includes(barcode));
    if (was) this.places[was] = this.places[was].filter((b) => b !== barcode);
    const before = await shownScanId(this.page);
    await wedgeType(this.page, barcode);
    await expect.poll(() => shownScanId(this.page)).toBe(before + 1);
    const words = (await scanResult(this.page).textContent()) ?? '';
    expect(words).toContain(formatBarcode(barcode));
    let place: Place;
    if (words.startsWith('Already recorded')) place = was!; // back where it was
    else if (words.startsWith('Recorded')) place = 'tray';
    else {
      // a flagged envelope: the words say where it goes
      const named = /put in the (\S+) tray/.exec(words)?.[1];
      expect(['SET-ASIDE', 'LATE'], words).toContain(named);
      place = named as Place;
    }
    this.places[place].push(barcode);
    return words;
  }

  where(label: string, barcode: string): string {
    const place = (Object.keys(this.places) as Place[]).find((p) => this.places[p].includes(barcode))!;
    return `Tray ${label}, ${place === 'tray' ? 'in the tray itself' : `${place} pocket`}, position ${this.places[place].indexOf(barcode) + 1}`;
  }
}

async function closeCounting(page: Page, counts: { tray: number; setAside?: number; late?: number }): Promise<void> {
  await page.getByRole('button', { name: 'Close batch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close batch' });
  await dialog.getByRole('textbox', { name: 'Physical count' }).fill(String(counts.tray));
  if (counts.setAside !== undefined) await dialog.getByRole('textbox', { name: 'SET-ASIDE count' }).fill(String(counts.setAside));
  if (counts.late !== undefined) await dialog.getByRole('textbox', { name: 'LATE count' }).fill(String(counts.late));
}

test('an operator who does what every verdict says closes every tray with no discrepancy; a missing envelope is reported in words', async ({ page }) => {
  test.setTimeout(180_000);
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await loadRegister(page, registerCsv(100, 5, 5, 5));
  markOnlineVoters(host.dataDir, 5);
  await page.reload();

  // Cancel on the open-batch dialog opens nothing.
  await page.getByRole('button', { name: 'Open batch' }).click();
  await page.getByRole('dialog', { name: 'Open batch' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog', { name: 'Open batch' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Close batch' })).toBeDisabled();

  // Tray T-1: accepted, a repeat read, a re-scan after the 10-second window, every flag kind but late.
  await openTray(page, 'T-1');
  const hands = new Hands(page);
  await hands.scan(issued(1));
  await hands.scan(issued(2));
  expect(await hands.scan(issued(2))).toMatch(/^Already recorded/);
  await hands.scan(issued(3));
  await page.waitForTimeout(10_500);
  expect(await hands.scan(issued(2))).toMatch(/^Flagged/); // read again after the window: it goes to SET-ASIDE
  for (const b of [unknownBallot(1), replacedOld(1), cancelled(1), votedOnline(1), issued(4)]) await hands.scan(b);
  expect(hands.places.tray).toEqual([issued(1), issued(3), issued(4)]);
  expect(hands.places['SET-ASIDE']).toHaveLength(5);
  await expect(page.locator('.count-value')).toHaveText('3');

  // Cancel leaves the tray open.
  await page.getByRole('button', { name: 'Close batch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close batch' });
  await expect(dialog.getByText('Tray T-1: 8 envelopes scanned — 3 in the tray itself, 5 in SET-ASIDE, 0 in LATE.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Close batch' })).toBeEnabled();

  await closeCounting(page, { tray: hands.places.tray.length, setAside: hands.places['SET-ASIDE'].length, late: hands.places.LATE.length });
  await expect(dialog.locator('.warning')).toHaveCount(0);
  await evidence(page, '40-close-batch-pockets');
  await dialog.getByRole('button', { name: 'Confirm close' }).click();
  await expect(page.getByText('Tray T-1 closed: 8 scanned, 8 counted, no discrepancy.')).toBeVisible();
  const t1 = hands;

  // The election closes: late envelopes go to the LATE pocket of tray T-2.
  await workOffline(page, ELECTION, new Date(Date.now() - 60_000));
  await page.reload();
  await openTray(page, 'T-2');
  const late = new Hands(page);
  expect(await late.scan(issued(5))).toContain('put in the LATE tray');
  await late.scan(issued(6));
  await closeCounting(page, { tray: 0, late: 2 }); // an empty SET-ASIDE pocket may be left empty
  await expect(dialog.locator('.warning')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Confirm close' }).click();
  await expect(page.getByText('Tray T-2 closed: 2 scanned, 2 counted, no discrepancy.')).toBeVisible();

  // Tray T-3: the unknown envelope goes missing before the count.
  await openTray(page, 'T-3');
  const lost = new Hands(page);
  await lost.scan(issued(7));
  await lost.scan(unknownBallot(2));
  await closeCounting(page, { tray: 0, setAside: 0, late: 1 });
  await expect(dialog.getByText('1 fewer envelopes than scanned: the discrepancy will be recorded.')).toBeVisible();
  await expect(dialog.getByText('1 envelope missing from the SET-ASIDE pocket (0 counted, the scans put 1 there).')).toBeVisible();
  await evidence(page, '41-close-batch-missing');
  await dialog.getByRole('button', { name: 'Confirm close' }).click();
  await expect(page.getByText('Tray T-3 closed: 2 scanned, 1 counted — discrepancy of -1 recorded. 1 envelope missing from the SET-ASIDE pocket (0 counted, the scans put 1 there).')).toBeVisible();

  // Trays: only T-3 has a discrepancy, said in words.
  await goTo(page, 'Trays');
  await expect(page.getByText('3 trays, 0 open; 1 with a discrepancy: T-3.')).toBeVisible();
  await expect(page.getByRole('row', { name: /^T-1 / })).toContainText('none');
  await expect(page.getByRole('row', { name: /^T-2 / })).toContainText('none');
  await expect(page.getByRole('cell', { name: '1 envelope missing from the SET-ASIDE pocket (0 counted, the scans put 1 there).' })).toBeVisible();
  await page.getByRole('button', { name: 'Show positions of T-1' }).click();
  for (const b of t1.places['SET-ASIDE']) await expect(page.getByRole('listitem').filter({ hasText: formatBarcode(b) })).toContainText(t1.where('T-1', b));
  await evidence(page, '42-trays-pockets');

  // Every flag names where its envelope physically is.
  await goTo(page, 'Review');
  const flagDialog = await openFlag(page, 'duplicate_scan', issued(2));
  await expect(flagDialog.getByText(t1.where('T-1', issued(2)))).toBeVisible();
  await expect(flagDialog.getByText('Tray T-1, SET-ASIDE pocket, position 1')).toBeVisible();
  await flagDialog.getByRole('button', { name: 'Close', exact: true }).click();
  const lateFlag = await openFlag(page, 'late_return', issued(6));
  await expect(lateFlag.getByText('Tray T-2, LATE pocket, position 2')).toBeVisible();
  await evidence(page, '43-flag-location');
  await lateFlag.getByRole('button', { name: 'Close', exact: true }).click();
  expect((await apiCall<Array<{ label: string; discrepancyWords: string | null }>>(page, 'listBatches', {})).map((b) => [b.label, b.discrepancyWords])).toEqual([
    ['T-3', '1 envelope missing from the SET-ASIDE pocket (0 counted, the scans put 1 there).'],
    ['T-2', null],
    ['T-1', null],
  ]);
});
