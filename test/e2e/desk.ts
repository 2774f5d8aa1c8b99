// Steps shared by end-to-end tests: first run, working offline, opening a tray, and typing
// as a keyboard-wedge scanner does.
import { expect, type Page } from '@playwright/test';

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
