// Offline for days: a workstation records 50,000 scans with no server, then syncs. All
// arrive, progress is reported (the waiting count goes down batch by batch), and the app
// stays responsive: no event-loop stall over 50 ms while it catches up, and a scan taken
// meanwhile is answered at once.
// On a machine whose load average exceeds its cores (other suites running beside this one),
// the event loop's wall-clock delay measures the scheduler, not this code; then the engine's
// own longest step in CPU time is held to 50 ms and the wall-clock figure is only printed.
import { cpus, loadavg } from 'node:os';
import { afterAll, expect, it } from 'vitest';
import { catchUp } from './catch-up';
import { barcodeOf, cleanUp, localReceipts, serverReceipts, waitFor } from './helpers';

afterAll(cleanUp);

const SCANS = 50_000;

it(`${SCANS} scans recorded offline all arrive, with progress and no stall over 50 ms`, { timeout: 300_000 }, async () => {
  let scanMs = Infinity;
  const r = await catchUp({
    engine: 'embedded',
    receipts: SCANS,
    during: async (ws, progress) => {
      // one more scan in the middle of the catch-up is answered at once
      await waitFor('the catch-up under way', () => progress.some((w) => w > 0 && w < SCANS - 1_000), 60_000, 20);
      const t = performance.now();
      ws.scan(barcodeOf(SCANS + 1));
      scanMs = performance.now() - t;
    },
  });
  const { ws, server, progress } = r;
  const busy = loadavg()[0]! > cpus().length;
  console.log(JSON.stringify({ test: 'sync offline', receipts: SCANS, record_s: r.record_s, catch_up_s: r.total_s, max_event_loop_stall_ms: r.max_event_loop_stall_ms, engine_longest_step_ms: r.engine_longest_step_ms, engine_longest_step_cpu_ms: r.engine_longest_step_cpu_ms, scan_during_catch_up_ms: scanMs, progress_events: progress.length, load_average: loadavg()[0] }));

  const decreasing = progress.filter((w, i) => i > 0 && w < progress[i - 1]!);
  expect(decreasing.length).toBeGreaterThan(50);
  expect(r.engine_longest_step_cpu_ms).toBeLessThan(50);
  if (!busy) {
    expect(r.max_event_loop_stall_ms).toBeLessThan(50);
    expect(scanMs).toBeLessThan(50);
  }

  const local = localReceipts(ws);
  await ws.close();
  await server.kill('SIGTERM');
  const db = await server.openDb();
  const onServer = await serverReceipts(db);
  await db.close();
  expect(local).toHaveLength(SCANS + 1);
  expect(onServer).toHaveLength(SCANS + 1);
  expect(new Set(onServer.map((x) => x.receipt_id))).toEqual(new Set(local.map((x) => x.id)));
  expect(local.every((x) => x.sv_outcome === 'accepted')).toBe(true);
});
