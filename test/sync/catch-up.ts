// The catch-up scenario shared by the offline test and the sync benchmarks: a workstation
// enrolled with a central server (child process) records `receipts` scans while the server
// is down, then the server comes back and the workstation syncs until Up to date.
import type { SyncStatus } from '../../shared/api/types';
import { stallMonitor } from '../bench/measure';
import {
  barcodeOf,
  enrol,
  enrolmentCode,
  openWorkstation,
  serverProcess,
  setUpElection,
  waitFor,
  waitUpToDate,
  type EngineName,
  type ServerProcess,
  type Workstation,
} from './helpers';

export interface CatchUp {
  server: ServerProcess;
  ws: Workstation;
  record_s: number;
  total_s: number;
  max_event_loop_stall_ms: number;
  /** the engine's own longest synchronous step (robust to a busy machine) */
  engine_longest_step_ms: number;
  engine_longest_step_cpu_ms: number;
  progress: number[];
}

const TRAY = 500;

/** Closes the open tray with every envelope counted in it, and opens the next. */
async function nextTray(ws: Workstation, n: number): Promise<void> {
  const open = ws.core.batches.openBatch();
  if (!open) throw new Error('no tray open');
  await ws.must('closeBatch', { batchId: open.id, physicalCount: TRAY });
  await ws.must('openBatch', { label: `Tray ${n}` });
}

export async function catchUp(options: { engine: EngineName; receipts: number; during?: (ws: Workstation, progress: number[]) => Promise<void> }): Promise<CatchUp> {
  const { receipts } = options;
  const server = await serverProcess(options.engine);
  await setUpElection(server.url, receipts + 10, ['north']);
  const ws = await openWorkstation();
  await enrol(ws, server.url, await enrolmentCode(server.url, 'north'), 'North desk 1');
  await waitUpToDate(ws);

  await server.kill();
  const r0 = Date.now();
  for (let b = 1; b <= receipts; b++) {
    ws.scan(barcodeOf(b));
    // Trays of 500, closed and opened as at a counting centre (a tray's counts are counted from
    // its rows at every scan: one tray of 50,000 envelopes would time that, not the sync).
    if (b % TRAY === 0 && b < receipts) await nextTray(ws, b / TRAY + 1);
    if (b % 2_000 === 0) await new Promise((r) => setImmediate(r));
  }
  const record_s = (Date.now() - r0) / 1000;
  await waitFor('Offline with everything waiting', () => ws.status().text === 'Offline' && ws.status().waiting === receipts, 30_000);

  await server.start();
  const progress: number[] = [];
  const off = ws.core.onEvent((e) => {
    if (e.type === 'syncStatus') progress.push((e as { status: SyncStatus }).status.waiting);
  });
  await new Promise((r) => setTimeout(r, 200));
  const stall = stallMonitor();
  const started = Date.now();
  ws.engine.networkAvailable();
  await options.during?.(ws, progress);
  await waitUpToDate(ws, 600_000);
  const total_s = (Date.now() - started) / 1000;
  stall.stop();
  off();
  return { server, ws, record_s, total_s, max_event_loop_stall_ms: stall.maxStallMs(), engine_longest_step_ms: Math.round(ws.engine.longestStepMs().wall * 10) / 10, engine_longest_step_cpu_ms: Math.round(ws.engine.longestStepMs().cpu * 10) / 10, progress };
}
