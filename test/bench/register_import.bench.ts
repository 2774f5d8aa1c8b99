// register_import: N register rows (default 10 million) from a CSV file through the real
// import path (importRegisterFile → worker → flip), while this thread's event loop is watched
// and, as at a desk, scans go on: one recordScan every BENCH_SCAN_EVERY_MS (default 100; 0 = none)
// on the main connection, each a write transaction (synchronous=FULL) while the worker writes.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../electron/main/app/index';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { peakRssMb, percentile, printFigure, round, stallMonitor } from './measure';

const rows = Number(process.env.BENCH_REGISTER_ROWS ?? 10_000_000);
const scanEveryMs = Number(process.env.BENCH_SCAN_EVERY_MS ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'bench-register-'));
const log = { info() {}, warn() {}, error: (m: string, f?: unknown) => console.error(m, f) };
try {
  const file = join(dir, 'register.csv');
  await writeRegisterCsv(file, rows);
  const opened = await openApp({ dataDir: join(dir, 'data'), log, secretStore: { description: 'none', get: async () => null, set: async () => ({ ok: true, value: undefined }) } });
  if (!opened.ok) throw new Error(opened.error.message);
  const app = opened.value;
  const must = async (name: string, input: unknown) => {
    const r = await app.dispatch(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as any;
  };
  await must('createFirstSupervisor', { name: 'Bench', pin: '123456' });
  await must('configureOffline', { electionNumber: 1022, electionName: 'Bench', closesAt: '2099-01-01T00:00:00.000Z', workstationName: 'Desk' });
  await must('openBatch', { label: 'B1' });
  let events = 0;
  app.subscribe((e) => {
    if (e.type === 'registerProgress') events++;
  });
  const stall = stallMonitor();
  if (process.env.BENCH_TRACE) console.error("import starts", performance.now());
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await must('importRegisterFile', { fileToken: app.registerFile(file) });
  // Scans during the import: each one's time from dispatch to verdict (its commit included).
  const scanTimes: number[] = [];
  let importing = true;
  const scanning = (async () => {
    for (let i = 0; scanEveryMs > 0 && importing; i++) {
      await new Promise((r) => setTimeout(r, scanEveryMs));
      if (!importing) break;
      const s0 = performance.now();
      await must('recordScan', { barcode: encodeBarcode(1022, 1 + (i % 100_000), 1), source: 'scanner' });
      scanTimes.push(performance.now() - s0);
    }
  })();
  let progress: any;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    progress = await must('registerProgress', {});
    if (progress.state !== 'running') break;
  }
  importing = false;
  await scanning;
  const totalS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stall.stop();
  scanTimes.sort((a, b) => a - b);
  if (progress.state !== 'done') throw new Error(`import ended ${progress.state}: ${progress.message} ${JSON.stringify(progress.errors.slice(0, 3))}`);
  printFigure({
    bench: 'register_import',
    rows: progress.rowsDone,
    total_s: round(totalS, 2),
    rows_per_s: Math.round(progress.rowsDone / totalS),
    max_event_loop_stall_ms: stall.maxStallMs(),
    scans: scanTimes.length,
    scan_p50_ms: round(percentile(scanTimes, 50), 1),
    scan_max_ms: round(scanTimes.at(-1) ?? NaN, 1),
    peak_rss_mb: peakRssMb(),
    // CPU time of the whole process (main thread + worker) during the import: on a busy machine
    // wall time says more about the neighbours than about the import.
    cpu_s: round((cpu.user + cpu.system) / 1e6, 2),
    load_avg_1m: round((await import('node:os')).loadavg()[0]!, 1),
    file_mb: round(statSync(file).size / 1e6, 1),
    progress_events: events,
  });
  await app.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// A register file of N packs, written fast in large pieces: every 20th member has a superseded
// first pack and an issued second one; ballot numbers ascend.
async function writeRegisterCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('ballot_number,issue,status,member_ref,online_code\n');
  const parts: string[] = [];
  let size = 0;
  let member = 0;
  for (let ballot = 1; ballot <= rows; ) {
    member++;
    const ref = `M-${member.toString(36).toUpperCase().padStart(7, '0')}`;
    if (member % 20 === 0 && ballot + 1 <= rows) {
      parts.push(`${ballot},1,superseded,${ref},\n${ballot},2,issued,${ref},K${member.toString().padStart(11, '0')}\n`);
      ballot++;
    } else {
      parts.push(`${ballot},1,issued,${ref},K${member.toString().padStart(11, '0')}\n`);
    }
    ballot++;
    size++;
    if (size >= 50_000) {
      if (!out.write(parts.join(''))) await once(out, 'drain');
      parts.length = 0;
      size = 0;
    }
  }
  out.end(parts.join(''));
  await once(out, 'finish');
}
