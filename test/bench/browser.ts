// Debian's Chromium (never a downloaded browser), headless, for the benchmarks that measure
// inside the page, and a page signed in as the first supervisor on a fresh headless host.
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../playwright.config';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function apiInPage<T>(page: Page, name: string, input: unknown): Promise<T> {
  const r = (await page.evaluate(
    async ([n, i]) => (await fetch(`./api/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i) })).json(),
    [name, input] as const,
  )) as { ok: boolean; value: T; error?: unknown };
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** tsx keeps function names with a helper the page does not have. */
export async function preparePage(page: Page): Promise<void> {
  await page.addInitScript('window.__name = (f) => f;');
}
