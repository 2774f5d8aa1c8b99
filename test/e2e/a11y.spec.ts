// Issue 14: axe-core on every screen finds no serious or critical violation — first run,
// setup, sign-in, scan (with a flagged verdict and the camera's message), review with a flag
// open, trays, dashboard, audit, people and settings — at 1280×800, each photographed
// (test/e2e/evidence.ts: screenshot + axe with the WCAG 2.1 A and AA rules).
import { expect, test } from '@playwright/test';
import { formatBarcode } from '../../shared/barcode/barcode';
import { addPerson, createFirstSupervisor, goTo, loadRegister, OPERATOR, openTray, SECOND_SUPERVISOR, signIn, signOut, SUPERVISOR } from './desk';
import { evidence } from './evidence';
import { startHost, type RunningHost } from './host';
import { ELECTION, issued, markOnlineVoters, registerCsv, unknownBallot, votedOnline } from './register-fixture';
import { scanAll } from './supervisor-steps';

test.use({ viewport: { width: 1280, height: 800 } });

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

test('every screen passes axe-core with no serious or critical violation', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'Create supervisor' })).toBeVisible();
  await evidence(page, 'a11y-01-first-run');

  await createFirstSupervisor(page);
  await expect(page.getByRole('heading', { name: 'Set up this workstation' })).toBeVisible();
  await evidence(page, 'a11y-02-setup');
  await page.getByRole('textbox', { name: 'Election number' }).fill(String(ELECTION));
  await page.getByRole('textbox', { name: 'Election name' }).fill('Leadership election');
  await page.getByRole('button', { name: 'Work offline' }).click();
  await loadRegister(page, registerCsv(200, 5, 5, 5));
  await expect(page.getByText(/^Register loaded: 220 packs from /)).toBeVisible();
  await evidence(page, 'a11y-03-setup-register-loaded');
  markOnlineVoters(host.dataDir, 5);
  await addPerson(page, OPERATOR, 'operator');
  await addPerson(page, SECOND_SUPERVISOR, 'supervisor');
  await page.getByRole('button', { name: 'Start scanning' }).click();
  await signOut(page);
  await evidence(page, 'a11y-04-sign-in');

  await signIn(page, OPERATOR);
  await openTray(page, 'T-AX');
  await scanAll(page, [issued(1), unknownBallot(1), votedOnline(1)]);
  await evidence(page, 'a11y-05-scan-flagged');
  await page.getByRole('button', { name: 'Camera' }).click();
  await expect(page.getByRole('status', { name: 'Camera status' })).not.toHaveText(/Opening the camera/, { timeout: 20_000 });
  await evidence(page, 'a11y-06-scan-camera');
  await page.getByRole('button', { name: 'Close camera' }).click();
  await page.getByRole('button', { name: 'Manual entry' }).click();
  await expect(page.getByRole('dialog', { name: 'Manual entry' })).toBeVisible();
  await evidence(page, 'a11y-07-manual-entry');
  await page.keyboard.press('Escape');
  await signOut(page);

  await signIn(page, SUPERVISOR);
  await goTo(page, 'Review');
  await expect(page.getByRole('table', { name: 'Flags' }).getByRole('row')).toHaveCount(3);
  await evidence(page, 'a11y-08-review');
  await page.getByRole('row').filter({ hasText: formatBarcode(votedOnline(1)) }).click();
  const dialog = page.getByRole('dialog', { name: `Flag ${formatBarcode(votedOnline(1))}` });
  await expect(dialog.getByRole('table', { name: 'Envelopes of this member' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Set aside', exact: true }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await evidence(page, 'a11y-09-review-flag-open');
  await page.keyboard.press('Escape');

  for (const [screen, name] of [
    ['Trays', 'a11y-10-trays'],
    ['Dashboard', 'a11y-11-dashboard'],
    ['Audit', 'a11y-12-audit'],
    ['People', 'a11y-13-people'],
    ['Settings', 'a11y-14-settings'],
  ] as const) {
    await goTo(page, screen);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await evidence(page, name);
  }
  // the settings' election forms, opened
  await page.getByText('Enrol with the central server, or change the offline election').click();
  await expect(page.getByRole('button', { name: 'Work offline' })).toBeVisible();
  await evidence(page, 'a11y-15-settings-election');
});
