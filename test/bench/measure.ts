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
