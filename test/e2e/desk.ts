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
 * Types reads as a USB scanner does, from inside the page: one character every `charMs`
 * (key down, the character into the focused field, input, key up), each read ended with
 * Enter or Tab, one read every `readEveryMs`. Inside the page because a test runner on a
 * busy 2-core machine cannot send key events through the DevTools protocol at 1 ms a
 * character; the events go to whatever has focus, as a scanner's do, and between
 * characters the page's event loop runs (verdicts arrive while the next read is typed).
 * Returns the rate reached, in reads per second.
 */
export async function scannerBurst(page: Page, reads: Array<{ typed: string; end?: 'Enter' | 'Tab' }>, charMs = 1, readEveryMs = 50): Promise<number> {
  return page.evaluate(
    async ({ reads, charMs, readEveryMs }) => {
      // A zero-delay macrotask (setTimeout is clamped to 4 ms when nested).
      const channel = new MessageChannel();
      const tick = () => new Promise<void>((ok) => ((channel.port1.onmessage = () => ok()), channel.port2.postMessage(null)));
      const until = async (t: number) => {
        while (performance.now() < t) await tick();
      };
      const key = (type: 'keydown' | 'keyup', k: string) => {
        const target = (document.activeElement ?? document.body) as HTMLElement;
        return target.dispatchEvent(new KeyboardEvent(type, { key: k, code: k.length === 1 ? `Key${k}` : k, bubbles: true, cancelable: true, composed: true }));
      };
      const t0 = performance.now();
      let lastStart = t0;
      for (const [i, read] of reads.entries()) {
        await until(t0 + i * readEveryMs);
        lastStart = performance.now();
        let t = lastStart;
        for (const ch of read.typed) {
          if (key('keydown', ch)) {
            const target = document.activeElement;
            if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
              target.value += ch;
              target.dispatchEvent(new InputEvent('input', { data: ch, inputType: 'insertText', bubbles: true, composed: true }));
            }
          }
          key('keyup', ch);
          t += charMs;
          await until(t);
        }
        key('keydown', read.end ?? 'Enter');
        key('keyup', read.end ?? 'Enter');
      }
      return reads.length > 1 ? ((reads.length - 1) / Math.max(lastStart - t0, 1)) * 1000 : reads.length;
    },
    { reads, charMs, readEveryMs },
  );
}
