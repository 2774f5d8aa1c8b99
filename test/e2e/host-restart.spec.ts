// The headless host across a restart (issue 14, item 8): the page loads with no request
// answered 404 (its icon included), and after the host is restarted on the same port the old
// tab says the desk restarted — in its header while left open, and on the page once reloaded —
// and where the new address is printed, without the new address's secret.
import { expect, test, type Page } from '@playwright/test';
import { createFirstSupervisor } from './desk';
import { evidence } from './evidence';
import { startHost, type RunningHost } from './host';

const hosts: RunningHost[] = [];
test.afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop();
});

/** Every answer of 400 or more the page got, by URL. */
function watchFailures(page: Page): string[] {
  const failures: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`);
  });
  return failures;
}

/** The page's icon as the browser fetches it: the link's target, or /favicon.ico without one. */
async function iconStatus(page: Page): Promise<number> {
  const href = await page.evaluate(() => (document.querySelector('link[rel~="icon"]') as HTMLLinkElement | null)?.href ?? new URL('/favicon.ico', location.href).href);
  return (await page.request.get(href)).status();
}

test('no request is answered 404 on load; after a restart the open tab, and the old tab reloaded, say the desk restarted', async ({ page }) => {
  const failures = watchFailures(page);
  const first = await startHost();
  hosts.push(first);
  await page.goto(first.url);
  await createFirstSupervisor(page);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  expect(failures).toEqual([]);
  expect(await iconStatus(page)).toBe(200);

  // Restarted on the same port and folder: the new run has a new secret.
  const port = Number(new URL(first.url).port);
  await first.stop();
  hosts.splice(0);
  const second = await startHost({ dataDir: first.dataDir, port });
  hosts.push(second);
  const newSecret = new URL(second.url).pathname.split('/')[2]!;

  // The tab left open, not reloaded: its header says the desk restarted, not only that it is silent.
  await expect(page.getByRole('alert').filter({ hasText: 'Desk restarted — open its new address' })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Sync details' }).click();
  await expect(page.getByRole('status', { name: 'Sync status' })).toContainText('open the new address printed where it was started');

  // (the running page's event stream, retrying meanwhile, was refused too: not this load's)
  failures.splice(0);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'This desk has restarted' })).toBeVisible();
  await expect(page.getByText(`Ballot Intake listening on http://127.0.0.1:${port}/s/`)).toBeVisible();
  expect(await page.content()).not.toContain(newSecret);
  expect(await iconStatus(page)).toBe(200);
  await evidence(page, 'host-restarted');
  // On this load, the only answer 400 or more is the old address itself.
  expect(failures).toEqual([`404 ${first.url}`]);
});
