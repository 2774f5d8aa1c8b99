// Pictures for the README that no test takes: a read with wrong check digits, the Trays screen
// with a tray's pockets and positions shown, the desk's settings (a repeat-read window below
// 2 s refused in words, the decoders named for people) and page 1 of a PROVISIONAL end-of-day
// statement (a tray still open, a flag not decided), rendered with pdftoppm; into docs/images/.
// Not part of `npm test`: see scripts/docs-images.config.ts.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { apiCall, createFirstSupervisor, goTo, loadRegister, openTray, shownScanId, wedgeType, workOffline } from '../test/e2e/desk';
import { startHost } from '../test/e2e/host';
import { cancelled, ELECTION, issued, registerCsv, unknownBallot } from '../test/e2e/register-fixture';

const IMAGES = resolve(import.meta.dirname, '../docs/images');

test.use({ viewport: { width: 1280, height: 800 } });

test('check digits, the desk settings, a PROVISIONAL statement', async ({ page }) => {
  const host = await startHost();
  try {
    await page.goto(host.url);
    await createFirstSupervisor(page);
    await workOffline(page, ELECTION);
    await loadRegister(page, registerCsv(50, 2, 2, 2));
    await page.reload();
    const scan = async (barcode: string) => {
      const before = await shownScanId(page);
      await wedgeType(page, barcode);
      await expect.poll(() => shownScanId(page)).toBe(before + 1);
    };
    // T-001: closed, as counted; T-002: still open, with two flagged envelopes in its SET-ASIDE pocket
    await openTray(page, 'T-001');
    for (const i of [1, 2, 3]) await scan(issued(i));
    await scan(issued(3)); // a repeat read
    await page.getByRole('button', { name: 'Close batch' }).click();
    await page.getByRole('textbox', { name: 'Physical count' }).fill('3');
    await page.getByRole('button', { name: 'Confirm close' }).click();
    await openTray(page, 'T-002');
    await scan(issued(4));
    await scan(unknownBallot(1));
    await scan(cancelled(1));
    // a misread: the check digits do not match, and the panel shows the digits read
    const good = issued(5);
    await scan(good.slice(0, 14) + String((Number(good.slice(14)) + 1) % 100).padStart(2, '0'));
    await expect(page.getByRole('status', { name: 'Scan result' })).toContainText('check digits do not match (read');
    await page.screenshot({ path: join(IMAGES, '08-scan-rejected.png') });

    await goTo(page, 'Trays');
    await page.getByRole('button', { name: 'Show positions of T-002' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Tray T-002, SET-ASIDE pocket, position 2' })).toBeVisible();
    await page.screenshot({ path: join(IMAGES, '23-trays.png'), fullPage: true });

    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'The desk' }).scrollIntoViewIfNeeded();
    await page.getByRole('spinbutton', { name: 'Repeat-read window in seconds' }).fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('alert')).toHaveText('The repeat-read window must be at least 2 seconds.');
    await page.getByRole('button', { name: 'Save settings' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(IMAGES, '26-settings.png') });

    await apiCall(page, 'exportData', { what: 'statement_pdf' });
    const dir = join(host.dataDir, 'exports');
    let pdf: string | undefined;
    await expect.poll(() => (pdf = readdirSync(dir).find((f) => f.endsWith('.pdf')))).toBeTruthy();
    await page.waitForTimeout(500); // the writer finishes the file
    execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(dir, pdf!), join(IMAGES, '28-statement-provisional')]);
  } finally {
    await host.stop();
  }
});
