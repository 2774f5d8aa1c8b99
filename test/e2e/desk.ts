// Steps shared by end-to-end tests: first run, working offline, opening a tray, and typing
// as a keyboard-wedge scanner does.
import { expect, type Page } from '@playwright/test';
import { wedgeInPage } from './wedge';

export const SUPERVISOR = { name: 'Sam Supervisor', pin: '246810' };

export async function createFirstSupervisor(page: Page, who = SUPERVISOR): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(who.name);
  await page.getByLabel('New PIN').fill(who.pin);
  await page.getByLabel('Repeat PIN').fill(who.pin);
  await page.getByRole('button', { name: 'Create supervisor' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Calls the app API the way the renderer does (same page, same secret path). */
export async function apiCall<T = unknown>(page: Page, name: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([n, i]) => {
      const res = await fetch(`./api/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i) });
      return res.json();
    },
    [name, input] as const,
  );
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

export async function openTray(page: Page, label: string, expected?: number): Promise<void> {
  await page.getByRole('button', { name: 'Open batch' }).click();
  await page.getByRole('textbox', { name: 'Batch label' }).fill(label);
  if (expected !== undefined) await page.getByRole('textbox', { name: 'Expected count' }).fill(String(expected));
  await page.getByRole('button', { name: 'Start batch' }).click();
  await expect(page.getByRole('textbox', { name: 'Ballot barcode' })).toBeFocused();
}

/** Types like a USB scanner: one character every `delayMs`, then Enter. */
export async function wedgeType(page: Page, text: string, delayMs = 2, end: 'Enter' | 'Tab' = 'Enter'): Promise<void> {
  await page.keyboard.type(text, { delay: delayMs });
  await page.keyboard.press(end);
}

export function scanResult(page: Page) {
  return page.getByRole('status', { name: 'Scan result' });
}

/** The id of the verdict shown now: each new verdict increments it. */
export async function shownScanId(page: Page): Promise<number> {
  return Number(await page.locator('[data-scan-id]').getAttribute('data-scan-id'));
}

// ---- Shared by the issue 6 and 7 specs -----------------------------------------------------

export const OPERATOR = { name: 'Olive Operator', pin: '135791' };
export const SECOND_SUPERVISOR = { name: 'Rita Reviewer', pin: '864200' };

/** The election set up offline, through the API (the first-run UI has its own test). */
export async function workOffline(page: Page, electionNumber: number, closesAt = new Date(Date.now() + 86_400_000)): Promise<void> {
  await apiCall(page, 'configureOffline', { electionNumber, electionName: 'Leadership election', closesAt: closesAt.toISOString(), workstationName: 'Desk 1' });
}

/** Loads a register CSV the way the renderer does: upload, import, wait until done. */
export async function loadRegister(page: Page, csv: string): Promise<number> {
  const token = await page.evaluate(async (body) => {
    const res = await fetch('./upload/register', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
    return ((await res.json()) as { fileToken: string }).fileToken;
  }, csv);
  await apiCall(page, 'importRegisterFile', { fileToken: token });
  let progress: { state: string; rowsDone: number; errors: unknown[] } = { state: 'running', rowsDone: 0, errors: [] };
  await expect
    .poll(async () => (progress = await apiCall(page, 'registerProgress', {})).state, { timeout: 30_000 })
    .not.toBe('running');
  if (progress.state !== 'done') throw new Error(`register import ${progress.state}: ${JSON.stringify(progress.errors)}`);
  return progress.rowsDone;
}

export async function addPerson(page: Page, who: { name: string; pin: string }, role: 'operator' | 'supervisor'): Promise<void> {
  await apiCall(page, 'addPerson', { name: who.name, pin: who.pin, role });
}

export async function signIn(page: Page, who: { name: string; pin: string }): Promise<void> {
  await page.getByRole('combobox', { name: 'Operator' }).selectOption({ label: who.name });
  await page.getByLabel('PIN', { exact: true }).fill(who.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
}

export async function goTo(page: Page, screen: 'Scan' | 'Review' | 'Trays' | 'Dashboard' | 'Audit' | 'People' | 'Settings'): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: screen, exact: true }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: screen, exact: true })).toHaveAttribute('aria-current', 'page');
}

/**
 * Types reads as a USB scanner does, from inside the page (test/e2e/wedge.ts): one
 * character every `charMs`, each read ended with Enter or Tab, one read every `readEveryMs`.
 * Returns the rate reached, in reads per second.
 */
export async function scannerBurst(page: Page, reads: Array<{ typed: string; end?: 'Enter' | 'Tab' }>, charMs = 1, readEveryMs = 50): Promise<number> {
  return page.evaluate(wedgeInPage, { reads, charMs, readEveryMs });
}
