// scan_e2e: a wedge-typed read to its verdict on screen, in Chromium, through the headless
// host (real app core, durable SQLite). 1,000 reads at 20 a second, 1 ms a character.
// Measured inside the page: from the read's end key (Enter) to the frame after the
// `Scan result` region changed (the verdict is on screen then).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { startHost } from '../e2e/host';
import { apiInPage, launchChromium, preparePage } from './browser';
import { percentile, printFigure, round } from './measure';

// The wedge runs in the page; loaded by path so that the node side's type check (no DOM) skips it.
const wedgeModule = new URL('../e2e/wedge.ts', import.meta.url).href;
const { wedgeInPage } = (await import(wedgeModule)) as { wedgeInPage: (a: { reads: Array<{ typed: string }>; charMs: number; readEveryMs: number }) => Promise<number> };

/** Polls an expression in the page (the page's CSP forbids waitForFunction's eval). */
async function until(page: import('playwright-core').Page, expression: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const N = Number(process.env.BENCH_SCANS ?? 1_000);
const dataDir = mkdtempSync(join(tmpdir(), 'bench-scan-e2e-'));
const host = await startHost({ dataDir });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await preparePage(page);
  await page.goto(host.url);
  await apiInPage(page, 'createFirstSupervisor', { name: 'Bench Supervisor', pin: '246810' });
  await apiInPage(page, 'configureOffline', { electionNumber: 1022, electionName: 'Bench', closesAt: new Date(Date.now() + 86_400_000).toISOString(), workstationName: 'Bench desk' });
  await apiInPage(page, 'openBatch', { label: 'BENCH', expectedCount: null });
  await page.reload();
  await page.getByRole('textbox', { name: 'Ballot barcode' }).waitFor();
  await until(page, "document.activeElement?.getAttribute('autocomplete') === 'off'", 10_000);

  // The observer: each new verdict id, the time its words changed and the next frame after.
  // In-page JavaScript (the node side's type check has no DOM).
  await page.evaluate(`(() => {
    const w = window;
    w.__enterTimes = [];
    w.__shown = [];
    w.__painted = [];
    // The round trips of recordScan, to tell the core's time from the page's.
    const f = window.fetch.bind(window);
    const trips = [];
    window.__trips = trips;
    window.fetch = async (input, init) => {
      const t = performance.now();
      const r = await f(input, init);
      if (String(input).endsWith('recordScan')) trips.push(performance.now() - t);
      return r;
    };
    const region = document.querySelector('[data-scan-id]');
    new MutationObserver(() => {
      const id = Number(region.getAttribute('data-scan-id'));
      if (id > w.__shown.length) {
        const t = performance.now();
        while (w.__shown.length < id) w.__shown.push(t);
        requestAnimationFrame(() => {
          const p = performance.now();
          while (w.__painted.length < id) w.__painted.push(p);
        });
      }
    }).observe(region, { attributes: true, childList: true, subtree: true, characterData: true });
  })()`);
  const reads = Array.from({ length: N }, (_, i) => ({ typed: encodeBarcode(1022, 100_000 + i, 1) }));
  const rate = await page.evaluate(wedgeInPage, { reads, charMs: 1, readEveryMs: 50 });
  await until(page, `window.__painted.length >= ${N}`, 120_000);
  const { enter, shown, painted, trips } = (await page.evaluate('({ enter: window.__enterTimes, shown: window.__shown, painted: window.__painted, trips: window.__trips })')) as {
    enter: number[];
    shown: number[];
    painted: number[];
    trips: number[];
  };
  trips.sort((a, b) => a - b);
  const toScreen = enter.map((t, i) => painted[i]! - t).sort((a, b) => a - b);
  const toDom = enter.map((t, i) => shown[i]! - t).sort((a, b) => a - b);
  printFigure({
    bench: 'scan_e2e',
    p50_ms: round(percentile(toScreen, 50), 1),
    p99_ms: round(percentile(toScreen, 99), 1),
    n: N,
    rate_per_s: round(rate, 1),
    dom_p50_ms: round(percentile(toDom, 50), 1),
    dom_p99_ms: round(percentile(toDom, 99), 1),
    max_ms: round(toScreen[toScreen.length - 1]!, 1),
    record_scan_round_trip_p50_ms: round(percentile(trips, 50), 1),
    record_scan_round_trip_p99_ms: round(percentile(trips, 99), 1),
    load_average_1m: round(loadavg()[0]!, 2),
  });
} finally {
  await browser.close();
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
