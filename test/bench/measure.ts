// Small measuring tools shared by the benchmarks.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

/** Peak resident memory of this process (VmHWM), in MB, as the operating system counts it. */
export function peakRssMb(pid: number | 'self' = 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return round(Number(m[1]) / 1024, 1);
  } catch {
    /* not Linux: fall back below */
  }
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

/** Watches this process's event loop; `maxStallMs()` is the longest delay seen. */
export function stallMonitor(): { stop(): void; maxStallMs(): number } {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  return {
    stop: () => h.disable(),
    maxStallMs: () => round(h.max / 1e6, 1),
  };
}

export function printFigure(figure: Record<string, unknown> & { bench: string }): void {
  process.stdout.write(JSON.stringify(figure) + '\n');
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone
  }
}

function pssKb(pid: number): number {
  try {
    const m = /Pss:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone, or no smaps_rollup (Linux before 4.14)
  }
}

/**
 * The memory of a group of processes taken together — a server and its embedded PostgreSQL's
 * postmaster and backends — read from /proc every `everyMs`: `peakMb` is the largest sum of
 * their resident sets seen. That sum counts every shared page once per process that touched
 * it (PostgreSQL's shared buffers, the postgres binary and its libraries): `peakPssMb` is the
 * largest sum of proportional set sizes (each shared page divided among its sharers), the
 * memory the group really holds. `hwmSumMb` adds each process's own peak (VmHWM), an upper
 * bound of the first (peaks at different moments).
 */
export function groupRssSampler(pids: () => number[], everyMs = 200): { peakMb(): number; peakPssMb(): number; hwmSumMb(): number; stop(): void } {
  let peakKb = 0;
  let peakPssKb = 0;
  const hwm = new Map<number, number>();
  const sample = (): void => {
    let sum = 0;
    let pss = 0;
    for (const pid of pids()) {
      sum += statusKb(pid, 'VmRSS');
      pss += pssKb(pid);
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, statusKb(pid, 'VmHWM')));
    }
    peakKb = Math.max(peakKb, sum);
    peakPssKb = Math.max(peakPssKb, pss);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    peakMb: () => round(peakKb / 1024, 1),
    peakPssMb: () => round(peakPssKb / 1024, 1),
    hwmSumMb: () => round([...hwm.values()].reduce((a, b) => a + b, 0) / 1024, 1),
    stop: () => {
      sample();
      clearInterval(timer);
    },
  };
}
