// register_import: N register rows (default 10 million) from a CSV file through the real
// import path (importRegisterFile → worker → flip), while this thread's event loop is watched.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../electron/main/app/index';
import { peakRssMb, printFigure, round, stallMonitor } from './measure';

const rows = Number(process.env.BENCH_REGISTER_ROWS ?? 10_000_000);
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
  let events = 0;
  app.subscribe((e) => {
    if (e.type === 'registerProgress') events++;
  });
  const stall = stallMonitor();
  if (process.env.BENCH_TRACE) console.error("import starts", performance.now());
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await must('importRegisterFile', { fileToken: app.registerFile(file) });
  let progress: any;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    progress = await must('registerProgress', {});
    if (progress.state !== 'running') break;
  }
  const totalS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stall.stop();
  if (progress.state !== 'done') throw new Error(`import ended ${progress.state}: ${progress.message} ${JSON.stringify(progress.errors.slice(0, 3))}`);
  printFigure({
    bench: 'register_import',
    rows: progress.rowsDone,
    total_s: round(totalS, 2),
    rows_per_s: Math.round(progress.rowsDone / totalS),
    max_event_loop_stall_ms: stall.maxStallMs(),
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
