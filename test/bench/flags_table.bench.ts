// flags_table: the supervisor's `Flags` table with 100,000 flags seeded directly into the
// workstation's SQLite file, measured in Chromium inside the page: from opening Review to the
// first rows on screen (first_render_ms), and from choosing a kind to the filtered rows on
// screen (filter_ms). The table is virtualised and paged from listFlags.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost } from '../e2e/host';
import { apiInPage, launchChromium, preparePage } from './browser';
import { printFigure, round } from './measure';
import { seedLedger } from './seed-ledger';

const FLAGS = Number(process.env.BENCH_FLAGS ?? 100_000);
const PIN = '246810';
const dataDir = mkdtempSync(join(tmpdir(), 'bench-flags-'));
const browser = await launchChromium();
try {
  // The app makes its database and first supervisor; then the flags go straight into SQLite.
  let host = await startHost({ dataDir });
  let page = await browser.newPage();
  await page.goto(host.url);
  const me = await apiInPage<{ personId: string }>(page, 'createFirstSupervisor', { name: 'Bench Supervisor', pin: PIN });
  await apiInPage(page, 'configureOffline', { electionNumber: 1022, electionName: 'Bench', closesAt: new Date(Date.now() + 86_400_000).toISOString(), workstationName: 'Bench desk' });
  await page.close();
  await host.stop();
  seedLedger(dataDir, { receipts: FLAGS, flagEvery: 1, operatorId: me.personId }).db.close();

  host = await startHost({ dataDir });
  page = await browser.newPage();
  await preparePage(page);
  await page.goto(host.url);
  await apiInPage(page, 'signIn', { personId: me.personId, pin: PIN });
  await page.reload();
  await page.getByRole('link', { name: 'Review' }).waitFor();

  const figures = await page.evaluate(async () => {
    const waitFor = (ok: () => boolean) =>
      new Promise<number>((done) => {
        const check = () => {
          if (!ok()) return false;
          observer.disconnect();
          done(performance.now());
          return true;
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        check();
      });
    const rows = () => [...document.querySelectorAll('table[aria-label="Flags"] tr.flag-row')];
    let t0 = performance.now();
    (document.querySelector('a[href="#review"]') as HTMLAnchorElement).click();
    const firstRender = (await waitFor(() => rows().length > 0)) - t0;
    const total = document.querySelector('.table-scroll')!.getAttribute('data-total');

    const kind = document.querySelector('select') as HTMLSelectElement; // the first filter: Kind
    t0 = performance.now();
    kind.value = 'late_return';
    kind.dispatchEvent(new Event('change', { bubbles: true }));
    const filtered = (await waitFor(() => rows().length > 0 && rows().every((r) => r.textContent!.includes('Late return')))) - t0;
    const filteredTotal = document.querySelector('.table-scroll')!.getAttribute('data-total');

    // Scrolling far down: the page of rows there is fetched and shown.
    const scroller = document.querySelector('.table-scroll') as HTMLElement;
    t0 = performance.now();
    scroller.scrollTop = scroller.scrollHeight / 2;
    const scrolled = (await waitFor(() => rows().some((r) => Number(r.getAttribute('aria-rowindex')) > 5_000))) - t0;
    // The core's part of the filter: the listFlags round trip alone.
    t0 = performance.now();
    await fetch('./api/listFlags', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'late_return', state: 'open', offset: 0, limit: 200 }) });
    const listFlagsFiltered = performance.now() - t0;
    t0 = performance.now();
    await fetch('./api/listFlags', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state: 'open', offset: 0, limit: 200 }) });
    const listFlagsAll = performance.now() - t0;
    return { firstRender, filtered, scrolled, total, filteredTotal, domRows: rows().length, listFlagsFiltered, listFlagsAll };
  });
  printFigure({
    bench: 'flags_table',
    flags: FLAGS,
    first_render_ms: round(figures.firstRender, 1),
    filter_ms: round(figures.filtered, 1),
    scroll_far_ms: round(figures.scrolled, 1),
    rows_in_dom: figures.domRows,
    list_flags_round_trip_ms: round(figures.listFlagsAll, 1),
    list_flags_filtered_round_trip_ms: round(figures.listFlagsFiltered, 1),
    total_shown: Number(figures.total),
    filtered_total: Number(figures.filteredTotal),
    load_average_1m: round(loadavg()[0]!, 2),
  });
  await host.stop();
} finally {
  await browser.close();
  rmSync(dataDir, { recursive: true, force: true });
}
