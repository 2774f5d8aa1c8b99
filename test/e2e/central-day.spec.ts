// Issue 7, a full day at one counting centre with the real central server: a seeded register
// (four members already voted online), two desks enrolled through the screens, 2,000 envelopes
// scanned by wedge across both desks at once (every flag kind, raised at the desk from the
// register copy or by the server where only it can know), sync, the closing time moved by the
// returning officer, then a supervisor at each desk decides every flag (in groups and alone,
// with forbidden decisions refused by the screen and by the API, and one decision the desk
// allowed refused by the server), closes the trays (one with
// a discrepancy) and exports the statement. Each statement's PDF text and CSV match its desk's
// database; the two desks add up to what the server holds; every decision reached the server;
// one vote per member held.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DECISIONS, FLAG_KINDS, type Decision, type FlagKind } from '../../shared/domain';
import { addPerson, apiCall, createFirstSupervisor, goTo, OPERATOR, openTray, signIn, signOut, SUPERVISOR } from './desk';
import { startCentral, type Central } from './central';
import { evidence, screenshot } from './evidence';
import { startHost, type RunningHost } from './host';
import { cancelled, ELECTION, issued, registerCsv, replacedNew, replacedOld, unknownBallot, votedOnline } from './register-fixture';
import { closeTray, decideGroup, decideOne, deskFigures, downloadStatement, expectStatementToMatch, openFlag, scanAll, type DeskFigures } from './supervisor-steps';

const CENTRE = 'north';
const onlineCode = (i: number) => `C${String(i).padStart(8, '0')}`;
const range = (from: number, to: number, f: (i: number) => string) => Array.from({ length: to - from + 1 }, (_, k) => f(from + k));

interface Desk {
  name: string;
  host: RunningHost;
  page: Page;
}

let central: Central;
const hosts: RunningHost[] = [];
test.afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop();
  await central?.stop();
});

/** A desk: the headless host, a first supervisor, enrolled through the setup screen. */
async function openDesk(browser: Browser, name: string): Promise<Desk> {
  const host = await startHost();
  hosts.push(host);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (e) => console.log(`${name}: page error: ${e.message}`));
  await page.goto(host.url);
  await createFirstSupervisor(page);
  const code = (await central.admin<{ enrolmentCode: string }>('POST', `/v1/admin/centres/${CENTRE}/enrolment-codes`)).enrolmentCode;
  await page.getByRole('textbox', { name: 'Workstation name' }).fill(name);
  await page.getByRole('textbox', { name: 'Server address' }).fill(central.url);
  await page.getByRole('textbox', { name: 'Enrolment code' }).fill(code);
  await page.getByRole('button', { name: 'Enrol' }).click();
  await expect(page.getByText(`Election ${ELECTION} — Leadership election, enrolled with`)).toBeVisible();
  return { name, host, page };
}

async function syncStatus(page: Page) {
  return apiCall<{ text: string; waiting: number }>(page, 'syncStatus', {});
}

/**
 * Asks the desk to sync and waits until nothing waits to be sent: `Up to date`, or — where the
 * server refused something made here — the refusals counted in words (never `Up to date`).
 */
async function syncUp(desk: Desk): Promise<void> {
  await expect
    .poll(
      async () => {
        await apiCall(desk.page, 'syncNow', {}).catch(() => undefined);
        const s = await syncStatus(desk.page);
        return s.waiting === 0 && /^(Up to date|\d+ refused)$/.test(s.text) ? 'nothing waiting' : s.text;
      },
      { timeout: 120_000, intervals: [500, 1_000, 2_000] },
    )
    .toBe('nothing waiting');
}

async function openFlagCount(page: Page): Promise<number> {
  return (await apiCall<{ total: number }>(page, 'listFlags', { offset: 0, limit: 1, state: 'open' })).total;
}

test('a full day at one centre: two desks, 2,000 envelopes, every flag kind, sync, every flag decided, statements match the server', async ({ browser }) => {
  test.setTimeout(600_000);
  central = await startCentral();
  await central.admin('POST', '/v1/admin/elections', {
    json: { electionNumber: ELECTION, name: 'Leadership election', closesAt: new Date(Date.now() + 86_400_000).toISOString() },
  });
  await central.admin('POST', '/v1/admin/centres', { json: { centreId: CENTRE, name: 'North counting centre', electionNumber: ELECTION } });
  // 2,000 issued packs, 5 members with a replaced pack, 3 cancelled packs, 6 members with an online code to use.
  await central.admin('POST', `/v1/admin/elections/${ELECTION}/register`, { csv: registerCsv(2_000, 5, 3, 6) });
  for (let i = 1; i <= 4; i++) expect((await central.redeem(onlineCode(i))).status).toBe(200);

  const a = await openDesk(browser, 'Desk A');
  const b = await openDesk(browser, 'Desk B');
  for (const desk of [a, b]) {
    await expect.poll(async () => (await apiCall<{ registerRows: number }>(desk.page, 'getState', {})).registerRows, { timeout: 60_000 }).toBe(2_019);
    await addPerson(desk.page, OPERATOR, 'operator');
    await addPerson(desk.page, { name: 'Second Supervisor', pin: '975310' }, 'supervisor');
  }
  // Desk A has the shortest repeat-read window (2 s): its second read of an envelope, hundreds of reads later, is a duplicate.
  await apiCall(a.page, 'updateSettings', { repeatWindowSeconds: 2 });
  for (const desk of [a, b]) {
    await desk.page.getByRole('button', { name: 'Start scanning' }).click();
    await signOut(desk.page);
    await signIn(desk.page, OPERATOR);
  }

  // Both desks scan at once: two trays each. What each desk can judge from its register copy
  // it flags itself (unknown, replaced or cancelled pack, voted online, read twice here).
  const deskA = async () => {
    await openTray(a.page, 'A-1', 500);
    await scanAll(a.page, range(1, 500, issued), 25);
    await closeTray(a.page, { tray: 500 });
    await openTray(a.page, 'A-2', 493);
    await scanAll(a.page, [...range(501, 985, issued), issued(5), ...range(1, 3, unknownBallot), replacedOld(1), cancelled(1), votedOnline(1), votedOnline(2), '12345'], 25);
    await closeTray(a.page, { tray: 484, setAside: 8 }); // one envelope is missing from the tray
  };
  const deskB = async () => {
    await openTray(b.page, 'B-1', 500);
    await scanAll(b.page, range(1_001, 1_500, issued), 25);
    await closeTray(b.page, { tray: 500 });
    await openTray(b.page, 'B-2', 496);
    // issued(1501) read twice within the repeat window: the second read is not a receipt.
    await scanAll(b.page, [issued(1_501), issued(1_501), ...range(1_502, 1_990, issued), ...range(4, 5, unknownBallot), replacedOld(2), cancelled(2), votedOnline(3), votedOnline(4)], 25);
    await closeTray(b.page, { tray: 490, setAside: 6 });
  };
  await Promise.all([deskA(), deskB()]);
  await Promise.all([syncUp(a), syncUp(b)]);
  await evidence(a.page, '30-central-desk-a-synced');

  // What only the server can know: desk B gets an envelope desk A already has, the new pack of
  // a member whose old pack desk A received, and the envelope of a member who voted online a
  // moment ago (the desk may not have heard yet; the server flags it either way).
  expect((await central.redeem(onlineCode(5))).status).toBe(200);
  await openTray(b.page, 'B-3', 3);
  await scanAll(b.page, [issued(10), replacedNew(1), votedOnline(5)]);
  await closeTray(b.page, 'as scanned'); // what desk B flagged itself depends on what it had heard
  await syncUp(b);

  // The returning officer closes the election early; desk A's next envelopes are late.
  await central.admin('PATCH', `/v1/admin/elections/${ELECTION}`, { json: { closesAt: new Date(Date.now() - 60_000).toISOString() } });
  await syncUp(a);
  await openTray(a.page, 'A-3', 8);
  await scanAll(a.page, range(1_991, 1_998, issued));
  await closeTray(a.page, { tray: 0, late: 8 });
  await syncUp(a);
  for (const desk of [a, b]) {
    await signOut(desk.page);
    await signIn(desk.page, SUPERVISOR);
  }
  await expect.poll(() => openFlagCount(a.page), { timeout: 60_000 }).toBe(16);
  await expect.poll(() => openFlagCount(b.page), { timeout: 60_000 }).toBe(9);

  // Desk A's supervisor decides in groups, and the duplicate alone.
  await goTo(a.page, 'Review');
  await expect(a.page.locator('.filter-count')).toHaveText('16 flags');
  await evidence(a.page, '31-central-review-a');
  await decideGroup(a.page, 'unknown_ballot', 'unknown', 'Set aside', 3);
  await decideGroup(a.page, 'superseded_ballot', 'superseded', 'Set aside', 2);
  await decideGroup(a.page, 'online_vote_cast', 'online', 'Set aside', 2);
  await decideGroup(a.page, 'late_return', 'late', 'Set aside', 8);
  await decideOne(a.page, 'duplicate_scan', issued(5), 'Void receipt', 'the same envelope read twice at desk A');

  // Desk B: counting the envelope of a member who voted online is refused on screen and by the API.
  await goTo(b.page, 'Review');
  await expect(b.page.locator('.filter-count')).toHaveText('9 flags');
  const dialog = await openFlag(b.page, 'online_vote_cast', votedOnline(5));
  await expect(dialog.getByRole('button', { name: 'Count' })).toBeDisabled();
  await expect(dialog.getByText('The member has voted online: this envelope cannot be counted.')).toBeVisible();
  await evidence(b.page, '32-central-flag-online');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const online = (await apiCall<{ rows: Array<{ flagId: string; kind: FlagKind }> }>(b.page, 'listFlags', { offset: 0, limit: 100 })).rows.filter((r) => r.kind === 'online_vote_cast');
  expect(online).toHaveLength(3);
  expect(await apiCall(b.page, 'decideFlags', { flagIds: online.map((r) => r.flagId), decision: 'count', note: 'try' })).toEqual(
    online.map((r) => ({ flagId: r.flagId, ok: false, message: 'The member has voted online: this envelope cannot be counted.' })),
  );
  await decideGroup(b.page, 'unknown_ballot', 'unknown', 'Set aside', 2);
  await decideGroup(b.page, 'superseded_ballot', 'superseded', 'Set aside', 2);
  await decideGroup(b.page, 'online_vote_cast', 'online', 'Set aside', 3);
  // Desk B cannot see that desk A's copy of this envelope counts: it allows Count; the server
  // refuses, and the flag is open again with the server's reason, to be decided anew.
  await decideOne(b.page, 'duplicate_scan', issued(10), 'Count', 'the only copy here');
  await syncUp(b);
  // the refusal is never hidden behind "Up to date" (issue 13)
  expect((await syncStatus(b.page)).text).toMatch(/\b1 refused\b/);
  await expect.poll(() => openFlagCount(b.page)).toBe(2); // this one again, and the replaced pack still to decide
  const refused = await openFlag(b.page, 'duplicate_scan', issued(10));
  await expect(refused.getByText('Refused by the central server: another envelope of this member is already counted')).toBeVisible();
  await expect(refused.getByText(/this envelope was already received \(1 earlier receipt, at this centre; the first: Desk A, /)).toBeVisible();
  await evidence(b.page, '35-central-decision-refused');
  await refused.getByRole('textbox', { name: 'Note' }).fill('desk A already has this envelope');
  await refused.getByRole('button', { name: 'Void receipt' }).click();
  await expect(b.page.getByRole('status').filter({ hasText: 'Void receipt: 1 of 1 flag decided.' })).toBeVisible();
  await decideOne(b.page, 'member_already_returned', replacedNew(1), 'Count', 'the old pack was set aside at desk A; the new pack counts');
  for (const desk of [a, b]) {
    await expect.poll(() => openFlagCount(desk.page)).toBe(0);
    await syncUp(desk);
  }

  // Trays and the dashboard at desk A.
  await goTo(a.page, 'Trays');
  await expect(a.page.getByText('1 with a discrepancy: A-2.')).toBeVisible();
  await evidence(a.page, '33-central-trays-a');
  await goTo(a.page, 'Dashboard');
  await expect(a.page.getByRole('img', { name: /Receipts per 15 minutes: 1,?001 in/ })).toBeVisible();
  // The whole centre, as the server holds it: both desks' envelopes, and nothing left to decide.
  await expect(a.page.getByText(/North counting centre, as the central server held it at .*: 2,000 envelopes received, 1,975 accepted, 25 flagged, 0 flags still to decide/)).toBeVisible();
  await expect(a.page.getByRole('row', { name: /Desk A \(this one\) 1,001/ })).toBeVisible();
  await expect(a.page.getByRole('row', { name: /Desk B 999/ })).toBeVisible();
  await evidence(a.page, '34-central-dashboard-a');
  await screenshot(a.page, '36-central-dashboard-a-whole-page', true);

  // Each desk's statement matches its database, and says when the server last witnessed its audit chain.
  const figures: Record<string, DeskFigures> = {};
  let centreCsv = new Map<string, string>();
  for (const desk of [a, b]) {
    await goTo(desk.page, 'Dashboard');
    const f = deskFigures(desk.host.dataDir);
    const statement = await downloadStatement(desk.page, mkdtempSync(join(tmpdir(), 'statement-')));
    expectStatementToMatch(statement, f);
    expect(statement.text).toMatch(/Last witnessed by the central server: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(entry \d+\)/);
    expect(statement.text).toContain('North counting centre');
    // ...and the whole centre, as the server held it: both desks.
    expect(statement.csv.get('centre.status')).toBe('included');
    expect(statement.csv.get('centre.received')).toBe('2000');
    expect(statement.csv.get('centre.accepted')).toBe('1975');
    expect(statement.csv.get('centre.this_workstation_unsent')).toBe('0');
    centreCsv = statement.csv;
    figures[desk.name] = f;
  }
  const fa = figures['Desk A']!;
  const fb = figures['Desk B']!;
  expect([fa.received, fb.received]).toEqual([1_001, 999]);
  expect(FLAG_KINDS.map((k) => fa.flaggedByKind[k])).toEqual([3, 1, 2, 0, 2, 8]);
  expect(FLAG_KINDS.map((k) => fb.flaggedByKind[k])).toEqual([2, 1, 2, 1, 3, 0]);
  expect([fa.traysWithDiscrepancy, fb.traysWithDiscrepancy]).toEqual([1, 0]);
  for (const k of FLAG_KINDS) expect(centreCsv.get(`centre_flagged_by_kind.${k}`), k).toBe(String(fa.flaggedByKind[k] + fb.flaggedByKind[k]));
  // The server's latest decision of each flag is the desks' current one (a refused one does not count anywhere).
  for (const d of [...DECISIONS, 'open'] as const) expect(centreCsv.get(`centre_decisions_by_kind.${d}`), d).toBe(String(fa.decisions[d] + fb.decisions[d]));

  // One vote per member: a postal vote that counts deactivated the online code.
  expect(await central.redeem('A00000001')).toEqual({ status: 409, body: expect.objectContaining({ error: 'postal_ballot_received' }) });
  expect(await central.redeem('B00000001')).toEqual({ status: 409, body: expect.objectContaining({ error: 'postal_ballot_received' }) });
  expect(await central.redeem(onlineCode(1))).toEqual({ status: 409, body: expect.objectContaining({ error: 'already_redeemed' }) });

  // The server holds exactly the two desks' receipts, flags and decisions.
  const db = await central.stopAndOpenDb();
  const { rows: receipts } = await db.query<{ n: string }>(`select count(*)::text as n from receipts where centre_id = $1`, [CENTRE]);
  expect(Number(receipts[0]!.n)).toBe(2_000);
  const { rows: serverFlags } = await db.query<{ receipt_id: string; kind: FlagKind; decision: Decision | null }>(
    `select f.receipt_id::text, f.kind,
            (select r.decision from resolutions r where r.flag_id = f.flag_id order by r.recorded_at desc limit 1) as decision
       from flags f where f.centre_id = $1`,
    [CENTRE],
  );
  const local = new Map([...fa.latestByReceipt, ...fb.latestByReceipt]);
  expect(new Map(serverFlags.map((f) => [f.receipt_id, f.decision ?? 'open']))).toEqual(local);
  for (const k of FLAG_KINDS) expect(serverFlags.filter((f) => f.kind === k).length, k).toBe(fa.flaggedByKind[k] + fb.flaggedByKind[k]);
  const { rows: heads } = await db.query<{ n: string }>(`select count(distinct device_id)::text as n from audit_heads`);
  expect(Number(heads[0]!.n)).toBe(2);
});
