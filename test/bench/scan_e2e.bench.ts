// scan_e2e: a wedge-typed read to its verdict on screen, in Chromium, through the headless
// host (real app core, durable SQLite). 1,000 reads at 20 a second, 1 ms a character.
// Measured inside the page: from the read's end key (Enter) to the frame after the
// `Scan result` region changed (the verdict is on screen then).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { startHost } from '../e2e/host';
import { wedgeInPage } from '../e2e/wedge';
import { apiInPage, launchChromium, preparePage } from './browser';
import { percentile, printFigure, round } from './measure';

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
  await page.waitForFunction(() => document.activeElement?.getAttribute('autocomplete') === 'off');

  // The observer: each new verdict id, the time its words changed and the next frame after.
  await page.evaluate(() => {
    const w = window as unknown as { __enterTimes: number[]; __shown: number[]; __painted: number[] };
    w.__enterTimes = [];
    w.__shown = [];
    w.__painted = [];
    // The round trips of recordScan, to tell the core's time from the page's.
    const f = window.fetch.bind(window);
    const trips: number[] = [];
    (window as unknown as { __trips: number[] }).__trips = trips;
    window.fetch = async (input, init) => {
      const t = performance.now();
      const r = await f(input, init);
      if (String(input).endsWith('recordScan')) trips.push(performance.now() - t);
      return r;
    };
    const region = document.querySelector('[data-scan-id]')!;
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
  });

  const reads = Array.from({ length: N }, (_, i) => ({ typed: encodeBarcode(1022, 100_000 + i, 1) }));
  const rate = await page.evaluate(wedgeInPage, { reads, charMs: 1, readEveryMs: 50 });
  await page.waitForFunction((n) => (window as unknown as { __painted: number[] }).__painted.length >= n, N, { timeout: 120_000 });
  const { enter, shown, painted, trips } = await page.evaluate(() => {
    const w = window as unknown as { __enterTimes: number[]; __shown: number[]; __painted: number[]; __trips: number[] };
    return { enter: w.__enterTimes, shown: w.__shown, painted: w.__painted, trips: w.__trips };
  });
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
