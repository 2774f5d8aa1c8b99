// Issue 7, the supervisor's desk, end to end, on one desk working offline (the day with two
// desks and the central server is central-day.spec.ts). A seeded register; an operator scans every flag kind over three trays (one closed with a
// discrepancy); a supervisor reviews and decides every flag (singly and in groups, with
// forbidden decisions refused by the screen and by the API), checks the trays, the
// dashboard, the audit chain and people, and exports the end-of-day statement, whose PDF
// text and CSV carry the same totals as the database. Every screen photographed, axe-checked.
import { expect, test, type Page } from '@playwright/test';
import { formatBarcode } from '../../shared/barcode/barcode';
import { FLAG_KINDS, type FlagKind } from '../../shared/domain';
import { apiCall, createFirstSupervisor, goTo, loadRegister, OPERATOR, openTray, SECOND_SUPERVISOR, signIn, signOut, SUPERVISOR, workOffline } from './desk';
import { evidence } from './evidence';
import { closeTray, decideGroup, deskFigures, downloadStatement, expectStatementToMatch, openFlag, scanAll } from './supervisor-steps';
import { startHost, type RunningHost } from './host';
import { cancelled, ELECTION, issued, markOnlineVoters, registerCsv, replacedNew, replacedOld, unknownBallot, votedOnline } from './register-fixture';

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

async function addPersonThroughUi(page: Page, who: { name: string; pin: string }, role: 'Operator' | 'Supervisor'): Promise<void> {
  await page.getByRole('button', { name: 'Add person' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add person' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill(who.name);
  await dialog.getByLabel('PIN', { exact: true }).fill(who.pin);
  await dialog.getByRole('combobox', { name: 'Role' }).selectOption({ label: role });
  await dialog.getByRole('button', { name: 'Save person' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${who.name} added as ${role.toLowerCase()}.` })).toBeVisible();
}

test('a whole day: scans of every flag kind, every flag decided, trays, dashboard, audit, people, statement', async ({ page }) => {
  test.setTimeout(180_000);
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await loadRegister(page, registerCsv(500, 10, 10, 10));
  markOnlineVoters(host.dataDir, 10);
  // The shortest repeat-read window (2 s): a second read of the same envelope after it is a duplicate.
  await apiCall(page, 'updateSettings', { repeatWindowSeconds: 2 });
  await page.reload();

  // People: the last supervisor cannot be disabled; an operator and a second supervisor are added.
  await goTo(page, 'People');
  await page.getByRole('button', { name: `Disable ${SUPERVISOR.name}` }).click();
  await expect(page.getByRole('alert')).toHaveText('This is the last supervisor: add another supervisor first.');
  await addPersonThroughUi(page, OPERATOR, 'Operator');
  await addPersonThroughUi(page, SECOND_SUPERVISOR, 'Supervisor');
  await evidence(page, '20-people');
  await signOut(page);

  // The operator's day: tray A (every kind but late), tray B (a discrepancy).
  await signIn(page, OPERATOR);
  await openTray(page, 'T-A', 30);
  await scanAll(page, Array.from({ length: 12 }, (_, i) => issued(i + 1)));
  await page.waitForTimeout(2_100); // past the repeat-read window: the next read of issued(1) is a duplicate
  const trayA = [
    issued(1), // duplicate_scan
    unknownBallot(1), unknownBallot(2), unknownBallot(3), // unknown_ballot
    replacedOld(1), // superseded_ballot (replaced pack)
    replacedNew(1), // member_already_returned
    cancelled(1), // superseded_ballot (cancelled pack)
    votedOnline(1), votedOnline(2), // online_vote_cast
    '12345', // rejected: not recorded
  ];
  await scanAll(page, trayA);
  await closeTray(page, { tray: 11, setAside: 9 }); // issued(1), read again, went to SET-ASIDE with the flagged ones
  await openTray(page, 'T-B');
  await scanAll(page, [issued(13), issued(14), issued(15), unknownBallot(4)]);
  await closeTray(page, { tray: 3, setAside: 0 }); // the unknown ballot is missing from SET-ASIDE
  await signOut(page);

  // The election closes; what the operator scans now is late.
  await signIn(page, SUPERVISOR);
  await workOffline(page, ELECTION, new Date(Date.now() - 60_000));
  await signOut(page);
  await signIn(page, OPERATOR);
  await openTray(page, 'T-C');
  await scanAll(page, [issued(16), issued(17)]);
  await closeTray(page, { tray: 0, late: 2 });
  await signOut(page);

  // The supervisor reviews.
  await signIn(page, SUPERVISOR);
  await goTo(page, 'Review');
  await expect(page.locator('.filter-count')).toHaveText('12 flags');
  await evidence(page, '21-review');

  // Forbidden: counting the envelope of a member who voted online — refused on screen...
  let dialog = await openFlag(page, 'online_vote_cast', votedOnline(1));
  await expect(dialog.getByRole('button', { name: 'Count' })).toBeDisabled();
  await expect(dialog.getByText('The member has voted online: this envelope cannot be counted.')).toBeVisible();
  await evidence(page, '22-flag-forbidden-count');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  // ...and by the API.
  const flags = await apiCall<{ rows: Array<{ flagId: string; kind: FlagKind; display: string }> }>(page, 'listFlags', { offset: 0, limit: 100 });
  const online = flags.rows.find((r) => r.kind === 'online_vote_cast')!;
  const refused = await apiCall<Array<{ ok: boolean; message: string }>>(page, 'decideFlags', { flagIds: [online.flagId], decision: 'count', note: 'try' });
  expect(refused).toEqual([{ flagId: online.flagId, ok: false, message: 'The member has voted online: this envelope cannot be counted.' }]);

  // The duplicate: count is forbidden (the first read of the envelope counts); escalated, then voided.
  dialog = await openFlag(page, 'duplicate_scan', issued(1));
  await expect(dialog.getByRole('button', { name: 'Count' })).toBeDisabled();
  await expect(dialog.getByText(`Another envelope of this member (${formatBarcode(issued(1))}) is already counted.`)).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Note' }).fill('same envelope read twice? asking the returning officer');
  await dialog.getByRole('button', { name: 'Escalate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Escalate: 1 of 1 flag decided.' })).toBeVisible();
  dialog = await openFlag(page, 'duplicate_scan', issued(1));
  await expect(dialog.getByText('same envelope read twice? asking the returning officer')).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Note' }).fill('the same envelope, scanned twice');
  await dialog.getByRole('button', { name: 'Void receipt' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Void receipt: 1 of 1 flag decided.' })).toBeVisible();

  // The replacement pack of a member whose old pack was set aside goes to the count, alone.
  dialog = await openFlag(page, 'member_already_returned', replacedNew(1));
  await dialog.getByRole('textbox', { name: 'Note' }).fill('old pack is set aside; the new pack counts');
  await dialog.getByRole('button', { name: 'Count' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Count: 1 of 1 flag decided.' })).toBeVisible();

  // Groups of one kind with one note.
  await decideGroup(page, 'unknown_ballot', 'unknown', 'Set aside', 4);
  await decideGroup(page, 'superseded_ballot', 'superseded', 'Set aside', 2);
  await decideGroup(page, 'online_vote_cast', 'online', 'Set aside', 2);
  // The returning officer moves the close later again: the late flags stay for a decision, and say so.
  await workOffline(page, ELECTION);
  await page.reload();
  await goTo(page, 'Review');
  dialog = await openFlag(page, 'late_return', issued(16));
  await expect(dialog.getByText(/Moved since to .*: by the closing time now in force, this envelope was not late\./)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await decideGroup(page, 'late_return', 'late', 'Set aside', 2);
  await page.getByRole('combobox', { name: 'Kind' }).selectOption('');
  await page.getByRole('combobox', { name: 'State' }).selectOption('open');
  await expect(page.locator('.filter-count')).toHaveText('0 flags');
  await expect(page.getByText('No flags match.')).toBeVisible();

  // Trays: the discrepancy is highlighted; the flagged envelopes' positions are listed.
  await goTo(page, 'Trays');
  await expect(page.getByText('1 with a discrepancy: T-B.')).toBeVisible();
  await expect(page.getByRole('row', { name: /T-B/ })).toContainText('-1');
  await page.getByRole('button', { name: 'Show positions of T-A' }).click();
  await expect(page.getByText(/Tray T-A, SET-ASIDE pocket, position 1: 1022-000000001-1-84/)).toBeVisible();
  await evidence(page, '23-trays');

  // Dashboard.
  await goTo(page, 'Dashboard');
  await expect(page.getByRole('img', { name: /Receipts per 15 minutes: 27 in/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Olive Operator/ })).toContainText('27');
  await evidence(page, '24-dashboard');

  // The end-of-day statement: PDF and CSV, downloaded, against the database.
  const figures = deskFigures(host.dataDir);
  expect([figures.received, figures.receipts]).toEqual([26, 27]); // issued(1) read twice in T-A: one envelope
  expect(FLAG_KINDS.map((k) => figures.flaggedByKind[k])).toEqual([4, 1, 2, 1, 2, 2]);
  expect(figures.decisions).toEqual({ set_aside: 10, count: 1, void_receipt: 1, escalate: 0, open: 0 });
  expect(figures.traysWithDiscrepancy).toBe(1);
  const statement = await downloadStatement(page, host.dataDir);
  expectStatementToMatch(statement, figures);
  expect(statement.text).toContain('Last witnessed by the central server: never (not synchronised with a server)');
  expect(statement.csv.get('centre.status')).toBe('offline');
  const head = statement.text.match(/Head hash: ([0-9a-f]{64})/)?.[1];
  expect(head).toBeDefined();

  // Audit: verify the chain; search the decisions.
  await goTo(page, 'Audit');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('status', { name: 'Audit check' })).toHaveText(/The audit chain is intact: all \d+ entries check out\./);
  await page.getByRole('combobox', { name: 'Event type' }).selectOption('flag.decided');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('13 entries; showing 1–13.')).toBeVisible();
  await evidence(page, '25-audit');

  await goTo(page, 'Settings');
  await evidence(page, '26-settings');
});
