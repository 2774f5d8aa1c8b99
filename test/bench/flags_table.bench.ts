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
  page.on('crash', () => console.error('page crashed'));
  page.on('pageerror', (e) => console.error('page error', e.message));
  await apiInPage(page, 'signIn', { personId: me.personId, pin: PIN });
  await page.reload();
  await page.getByRole('link', { name: 'Review' }).waitFor({ timeout: 15_000 }).catch(async (e) => { await page.screenshot({ path: '/tmp/ft.png' }); throw e; });

  const probe = new URL('../e2e/flags-table-probe.ts', import.meta.url).href;
  const { measureFlagsTable } = (await import(probe)) as { measureFlagsTable: () => Promise<Record<string, number | string>> };
  const figures = (await page.evaluate(measureFlagsTable)) as {
    firstRender: number; filtered: number; scrolled: number; total: string; filteredTotal: string; domRows: number; listFlagsFiltered: number; listFlagsAll: number;
  };
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
