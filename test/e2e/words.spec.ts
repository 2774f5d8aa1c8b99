// Issue 14 items 5, 9, 10, 12 and 14 in Chromium at 1280×800, by the accessible names of
// contracts.md §6: the words of §4 wherever people read (never a kind code), form errors in
// sentences with typing stopped at the limit, the check-digit rejection with the digits read
// and the next step, a refused manual entry kept in its dialog, the flag dialog's decision in
// view, the audit by name, the settings of an enrolled desk, and the setup screen.
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { formatBarcode } from '../../shared/barcode/barcode';
import { FLAG_INSTRUCTIONS, FLAG_KINDS, FLAG_LABELS, FLAG_WORDS } from '../../shared/domain';
import { addPerson, apiCall, createFirstSupervisor, goTo, loadRegister, OPERATOR, openTray, scanResult, SECOND_SUPERVISOR, signIn, signOut, SUPERVISOR, workOffline } from './desk';
import { evidence } from './evidence';
import { startHost, type RunningHost } from './host';
import { cancelled, ELECTION, issued, markOnlineVoters, registerCsv, votedOnline } from './register-fixture';
import { scanAll } from './supervisor-steps';

test.use({ viewport: { width: 1280, height: 800 } });

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

/** No kind code of §4 anywhere people read on the page. */
async function expectNoKindCodes(where: Locator): Promise<void> {
  const text = await where.innerText();
  for (const k of FLAG_KINDS) expect(text, `the code ${k} is shown to people`).not.toContain(k);
}

/** Inside the window, without scrolling. */
async function expectInView(page: Page, target: Locator, what: string): Promise<void> {
  const box = await target.boundingBox();
  const view = page.viewportSize()!;
  expect(box, `${what} is laid out`).not.toBeNull();
  expect(box!.y, `${what} is below the top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${what} is right of the left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what} ends above the bottom of ${view.height} px`).toBeLessThanOrEqual(view.height);
  expect(box!.x + box!.width, `${what} ends left of the right edge`).toBeLessThanOrEqual(view.width);
}

async function deskWithFlags(page: Page): Promise<void> {
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await loadRegister(page, registerCsv(200, 5, 5, 5));
  markOnlineVoters(host.dataDir, 5);
  await addPerson(page, OPERATOR, 'operator');
  await addPerson(page, SECOND_SUPERVISOR, 'supervisor');
  await page.reload();
  await signOut(page);
  await signIn(page, OPERATOR);
  await openTray(page, 'T-W');
}

test('the words of §4 on the scan panel, Review, the flag dialog and the dashboard; check digits and manual entry', async ({ page }) => {
  test.setTimeout(180_000);
  await deskWithFlags(page);
  const field = page.getByRole('textbox', { name: 'Ballot barcode' });

  await scanAll(page, [votedOnline(1)]);
  await expect(scanResult(page)).toHaveText(`Flagged: member voted online ${formatBarcode(votedOnline(1))} — ${FLAG_INSTRUCTIONS.online_vote_cast}`);
  await scanAll(page, [cancelled(1)]);
  await expect(scanResult(page)).toHaveText(`Flagged: replaced or cancelled pack ${formatBarcode(cancelled(1))} — ${FLAG_INSTRUCTIONS.superseded_ballot}`);

  // A misread: the digits read, and what to do next.
  const good = issued(3);
  const bad = good.slice(0, 15) + String((Number(good.at(-1)) + 1) % 10);
  await scanAll(page, [bad]);
  await expect(scanResult(page)).toHaveText(`Rejected: check digits do not match (read ${formatBarcode(bad)}): scan it again, or type the printed number with Manual entry`);
  await expectNoKindCodes(page.locator('main'));

  // A manual entry the core refuses stays open, with what was typed.
  await page.getByRole('button', { name: 'Manual entry' }).click();
  const manual = page.getByRole('dialog', { name: 'Manual entry' });
  await manual.getByRole('textbox', { name: 'Barcode number', exact: true }).fill(formatBarcode(bad));
  await manual.getByRole('textbox', { name: 'Repeat barcode number' }).fill(formatBarcode(bad));
  await manual.getByRole('textbox', { name: 'Reason' }).fill('label torn');
  await manual.getByRole('combobox', { name: 'Supervisor' }).selectOption({ label: SUPERVISOR.name });
  await manual.getByRole('textbox', { name: 'Supervisor PIN' }).fill(SUPERVISOR.pin);
  await manual.getByRole('button', { name: 'Record' }).click();
  await expect(manual.getByRole('alert')).toHaveText(
    `Not recorded: check digits do not match (read ${formatBarcode(bad)}): compare it with the number printed on the envelope and type it again`,
  );
  await expect(manual).toBeVisible();
  await expect(manual.getByRole('textbox', { name: 'Barcode number', exact: true })).toHaveValue(formatBarcode(bad));
  await expect(manual.getByRole('textbox', { name: 'Reason' })).toHaveValue('label torn');
  await page.keyboard.press('Escape');
  await expect(field).toBeVisible();
  await signOut(page);

  // Review: the Kind column, the filter, the flag dialog.
  await signIn(page, SUPERVISOR);
  await goTo(page, 'Review');
  const table = page.getByRole('table', { name: 'Flags' });
  await expect(table.getByRole('row').filter({ hasText: formatBarcode(cancelled(1)) })).toContainText('Replaced or cancelled pack');
  await expect(table.getByRole('row').filter({ hasText: formatBarcode(votedOnline(1)) })).toContainText('Member voted online');
  await expect(page.getByRole('combobox', { name: 'Kind' }).locator('option')).toHaveText(['All kinds', ...FLAG_KINDS.map((k) => FLAG_LABELS[k])]);
  await expectNoKindCodes(page.locator('main'));

  // Item 9: the flag dialog at 1280×800 — the decisions, why Count is forbidden, and the
  // missing note said beside the button pressed, all without scrolling, even for a flag with
  // a long history (escalated four times, each with a long note).
  const rows = await apiCall<{ rows: Array<{ flagId: string; kind: string }> }>(page, 'listFlags', { offset: 0, limit: 10 });
  const online = rows.rows.find((r) => r.kind === 'online_vote_cast')!;
  for (let i = 1; i <= 4; i++) {
    await apiCall(page, 'decideFlags', { flagIds: [online.flagId], decision: 'escalate', note: `Referred, step ${i}: ${'the member says they posted the envelope before voting online; '.repeat(3)}` });
  }
  await page.getByRole('combobox', { name: 'State' }).selectOption('');
  await table.getByRole('row').filter({ hasText: formatBarcode(votedOnline(1)) }).click();
  const dialog = page.getByRole('dialog', { name: `Flag ${formatBarcode(votedOnline(1))}` });
  await expect(dialog.getByRole('table', { name: 'Envelopes of this member' })).toBeVisible();
  await expectNoKindCodes(dialog);
  await expect(dialog.getByText('Desk: Flagged: member voted online')).toBeVisible();
  for (const name of ['Set aside', 'Count', 'Void receipt', 'Escalate']) await expectInView(page, dialog.getByRole('button', { name, exact: true }), `the ${name} button`);
  await expectInView(page, dialog.getByRole('textbox', { name: 'Note' }), 'the Note');
  await expect(dialog.getByRole('button', { name: 'Count', exact: true })).toBeDisabled();
  const why = dialog.getByText('The member has voted online: this envelope cannot be counted.');
  await expectInView(page, why, 'why Count is not allowed');
  await dialog.getByRole('button', { name: 'Set aside', exact: true }).click();
  const missing = dialog.getByRole('alert').filter({ hasText: 'Write a note first' });
  await expect(missing).toBeVisible();
  await expectInView(page, missing, '"Write a note first"');
  // beside the button pressed: just below it, in its column
  const pressed = (await dialog.getByRole('button', { name: 'Set aside', exact: true }).boundingBox())!;
  const said = (await missing.boundingBox())!;
  expect(said.y - (pressed.y + pressed.height)).toBeLessThan(40);
  expect(Math.abs(said.x - pressed.x)).toBeLessThan(10);
  await expect(dialog.getByRole('textbox', { name: 'Note' })).toBeFocused();
  await evidence(page, 'w-01-flag-dialog-1280x800');
  await page.keyboard.type('kept aside: the member voted online');
  await dialog.getByRole('button', { name: 'Set aside', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Set aside: 1 of 1 flag decided.' })).toBeVisible();

  // The dashboard's flags by kind.
  await goTo(page, 'Dashboard');
  const kinds = page.getByRole('table', { name: 'Flags by kind' });
  for (const k of FLAG_KINDS) await expect(kinds.getByRole('rowheader', { name: FLAG_LABELS[k] })).toBeVisible();
  await expectNoKindCodes(kinds);
  expect(FLAG_WORDS.online_vote_cast).toBe('member voted online');
});

test('form errors in sentences, typing stopped at the limit; the audit by name, searched by part of it, to the second; settings', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await page.reload();

  // Typing stops at the contract's 80 characters.
  await goTo(page, 'People');
  await page.getByRole('button', { name: 'Add person' }).click();
  const name = page.getByRole('textbox', { name: 'Name' });
  await name.pressSequentially('x'.repeat(90));
  await expect(name).toHaveValue('x'.repeat(80));
  // Whatever reaches the core over the limit is refused in a sentence, not zod's internals.
  const refused = await page.evaluate(async () => {
    const res = await fetch('./api/addPerson', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'y'.repeat(81), pin: '1', role: 'operator' }) });
    return ((await res.json()) as { error: { message: string } }).error.message;
  });
  expect(refused).toBe('The name can be at most 80 characters. A PIN is 6 to 12 digits.');
  await page.keyboard.press('Escape');
  // The same for a tray's label: 40 characters, what fits on the tray's card.
  await goTo(page, 'Scan');
  await page.getByRole('button', { name: 'Open batch' }).click();
  const label = page.getByRole('textbox', { name: 'Batch label' });
  await label.pressSequentially('T'.repeat(50));
  await expect(label).toHaveValue('T'.repeat(40));
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Settings: the repeat-read window below 2 s is refused in words; decoders named for people.
  await goTo(page, 'Settings');
  const repeat = page.getByRole('spinbutton', { name: 'Repeat-read window in seconds' });
  await repeat.fill('0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert')).toHaveText('The repeat-read window must be at least 2 seconds.');
  await repeat.fill('2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  const decoders = await page.getByRole('combobox', { name: 'Camera decoder' }).locator('option').allTextContents();
  expect(decoders).toHaveLength(2);
  for (const d of decoders) expect(d).not.toMatch(/zxing|wasm|js/i);

  // The audit: names, a part of a name in any case, seconds.
  await addPerson(page, OPERATOR, 'operator');
  await goTo(page, 'Audit');
  const entries = page.getByRole('table', { name: 'Audit entries' });
  await expect(entries.getByRole('row').nth(1)).toBeVisible();
  const persons = await entries.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(persons).toContain(SUPERVISOR.name);
  const ids = /^[0-9a-f]{8}-[0-9a-f]{4}-/;
  for (const p of persons) expect(p).not.toMatch(ids);
  for (const t of await entries.locator('tbody tr td:nth-child(2)').allTextContents()) expect(t).toMatch(/\d{2}:\d{2}:\d{2}$/);
  await page.getByRole('textbox', { name: 'Person' }).fill('sUPERv');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText(/^\d+ entries; showing 1–/)).toBeVisible();
  const found = await entries.locator('tbody tr td:nth-child(4)').allTextContents();
  expect(found.length).toBeGreaterThan(0);
  expect(new Set(found)).toEqual(new Set([SUPERVISOR.name]));
  // a detail naming a person by id reads as their name (the person added above)
  await page.getByRole('combobox', { name: 'Event type' }).selectOption('person.added');
  await page.getByRole('textbox', { name: 'Person' }).fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  const added = entries.locator('tbody tr').first();
  await expect(added.locator('td.detail')).toContainText(`personId: ${OPERATOR.name}`);
  expect(await added.innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
});

test('an enrolled desk: the server owns the election and close; leaving enrolment is confirmed', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  // Enrolled, as enrolment leaves it (no server is needed to show the settings of one).
  await host.stop();
  const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'));
  db.prepare("UPDATE workstation SET device_id = 'dev-1', server_url = 'http://127.0.0.1:9', centre_id = 'C-1', centre_name = 'North hall' WHERE id = 1").run();
  db.close();
  host = await startHost({ dataDir: host.dataDir });
  await page.goto(host.url);
  await signIn(page, SUPERVISOR);
  await goTo(page, 'Settings');
  await page.getByText('Enrol again, or leave enrolment to work offline').click();
  await expect(page.getByText(/the central server sets the election and its closing time/)).toBeVisible();
  // Not editable here: no election or close fields, no Work offline applied at once.
  await expect(page.getByRole('textbox', { name: 'Election number' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Work offline' })).toHaveCount(0);
  // The core refuses it too, in words.
  const refused = await page.evaluate(async () => {
    const res = await fetch('./api/configureOffline', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ electionNumber: 1022, electionName: 'E', closesAt: new Date().toISOString(), workstationName: 'Desk 1' }),
    });
    return ((await res.json()) as { error: { message: string } }).error.message;
  });
  expect(refused).toMatch(/^This desk is enrolled: the central server sets its election and closing time/);

  // Leaving enrolment asks first; staying changes nothing.
  await page.getByRole('button', { name: 'Leave enrolment…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Leave enrolment?' });
  await expect(confirm).toContainText('This desk will stop sending to http://127.0.0.1:9');
  await evidence(page, 'w-03-leave-enrolment');
  await confirm.getByRole('button', { name: 'Stay enrolled' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(/Enrolled with http:\/\/127\.0\.0\.1:9 for North hall/)).toBeVisible();
  await page.getByRole('button', { name: 'Leave enrolment…' }).click();
  // the close in force is offered, never today 17:00 in its place
  const closeShown = await confirm.getByLabel('Closing time').inputValue();
  expect(closeShown).not.toMatch(/T17:00$/);
  await confirm.getByRole('button', { name: 'Work offline' }).click();
  await expect(page.getByText('Not enrolled: working offline.')).toBeVisible();
});

test('setup: one sentence for the register, an empty bar for a failed import, the file by its name; no camera said in view', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await page.getByRole('textbox', { name: 'Election number' }).fill(String(ELECTION));
  await page.getByRole('textbox', { name: 'Election name' }).fill('Leadership election');
  await page.getByRole('button', { name: 'Work offline' }).click();

  const dir = mkdtempSync(join(tmpdir(), 'words-'));
  const bar = page.getByRole('progressbar', { name: 'Register import' });
  const importFile = async (fileName: string, body: string) => {
    writeFileSync(join(dir, fileName), body);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import register file' }).click();
    await (await chooser).setFiles(join(dir, fileName));
  };
  const badRows = `${registerCsv(300)}not,a,row\n`;
  await importFile('broken-register.csv', badRows);
  await expect(page.getByText(/^Nothing was imported: 1 bad row, the first on line \d+\.$/)).toBeVisible({ timeout: 30_000 });
  await expect(bar).toHaveJSProperty('value', 0);
  await evidence(page, 'w-04-setup-failed-import');

  await importFile('north-hall.csv', registerCsv(300));
  await expect(page.getByText('Register loaded: 440 packs from north-hall.csv.', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(bar).toHaveJSProperty('value', 1);
  // said once: the state's words are not repeated before the core's sentence
  await expect(page.getByText(/Register loaded\. .*Register loaded/)).toHaveCount(0);

  // The camera with no camera: the reason in view, no black box above it.
  await page.getByRole('button', { name: 'Start scanning' }).click();
  await openTray(page, 'T-CAM');
  await page.getByRole('button', { name: 'Camera' }).click();
  const status = page.getByRole('status', { name: 'Camera status' });
  await expect(status).not.toHaveText(/Opening the camera/, { timeout: 20_000 });
  await expect(page.locator('video')).toHaveCount(0);
  await expectInView(page, status, 'the camera message');
  await evidence(page, 'w-05-no-camera');
});
