// Issue 2's end-to-end test: 200 reads typed as a USB scanner types them (2 ms a character,
// then Enter) — valid envelopes, repeat reads and each kind of invalid read — each verdict
// asserted on screen; then, with the host stopped, the SQLite file holds exactly the valid
// envelopes as receipts.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { encodeBarcode, formatBarcode } from '../../shared/barcode/barcode';
import { createFirstSupervisor, openTray, scanResult, shownScanId, wedgeType, workOffline } from './desk';
import { startHost, type RunningHost } from './host';

const ELECTION = 1022;
let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host.stop();
});

interface Read {
  typed: string;
  expected: string;
  receipt?: string;
}

/** A deterministic mix: mostly new envelopes, with repeats and every kind of bad read. */
function reads(): Read[] {
  const out: Read[] = [];
  let ballot = 5000;
  let previous: string | null = null;
  for (let i = 0; out.length < 200; i++) {
    switch (i % 10) {
      case 3:
        out.push({ typed: previous!, expected: `Already recorded ${formatBarcode(previous!)}` });
        break;
      case 5:
        out.push({ typed: previous!.slice(0, 15), expected: 'Rejected: wrong length' });
        break;
      case 6: {
        const bad = previous!.slice(0, 15) + String((Number(previous!.at(-1)) + 1) % 10);
        out.push({ typed: bad, expected: `Rejected: check digits do not match (read ${formatBarcode(bad)}): scan it again, or type the printed number with Manual entry` });
        break;
      }
      case 7:
        out.push({ typed: `10220001${i}AB`.slice(0, 16).padEnd(16, 'X'), expected: 'Rejected: not digits' });
        break;
      case 8: {
        const other = encodeBarcode(1023, ballot, 1);
        out.push({ typed: other, expected: `Rejected: election 1023 is not this election ${formatBarcode(other)}` });
        break;
      }
      default: {
        const b = encodeBarcode(ELECTION, ++ballot, 1);
        // Scanners may send an AIM prefix; manual typists use the printed form.
        const typed = i % 4 === 0 ? `]C0${b}` : i % 9 === 0 ? formatBarcode(b) : b;
        out.push({ typed, expected: `Recorded ${formatBarcode(b)}`, receipt: b });
        previous = b;
      }
    }
  }
  return out;
}

test('200 wedge-typed reads: each verdict shown, exactly the valid ones recorded', async ({ page }) => {
  await page.goto(host.url);
  await createFirstSupervisor(page);
  await workOffline(page, ELECTION);
  await page.reload();
  await openTray(page, 'T-001');
  const field = page.getByRole('textbox', { name: 'Ballot barcode' });
  await expect(field).toBeFocused();

  const all = reads();
  for (const read of all) {
    const before = await shownScanId(page);
    await wedgeType(page, read.typed, 2);
    await expect.poll(() => shownScanId(page)).toBe(before + 1);
    await expect(scanResult(page)).toHaveText(read.expected);
    await expect(field).toHaveValue('');
  }

  // A burst faster than verdicts: 10 new envelopes typed back to back; each judged once, in order.
  const burst = Array.from({ length: 10 }, (_, i) => encodeBarcode(ELECTION, 90_000 + i, 1));
  const before = await shownScanId(page);
  for (const b of burst) await wedgeType(page, b, 1);
  await expect.poll(() => shownScanId(page)).toBe(before + burst.length);
  const lines = await page.getByRole('region', { name: 'Last scans' }).locator('.recent-verdict').allTextContents();
  expect(lines.slice(0, 10).reverse()).toEqual(burst.map((b) => `Recorded ${formatBarcode(b)}`));

  await host.stop();
  const db = new Database(join(host.dataDir, 'ballot-intake.sqlite'), { readonly: true });
  const stored = db.prepare('SELECT barcode FROM receipts ORDER BY seq').all() as Array<{ barcode: string }>;
  const seqs = db.prepare('SELECT seq FROM receipts ORDER BY seq').all() as Array<{ seq: number }>;
  db.close();
  const expected = [...all.filter((r) => r.receipt).map((r) => r.receipt!), ...burst];
  expect(stored.map((r) => r.barcode)).toEqual(expected);
  // Gap-free workstation sequence.
  expect(seqs.map((s) => s.seq)).toEqual(expected.map((_, i) => i + 1));
});
