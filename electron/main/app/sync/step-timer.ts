// The engine's longest hold of the main thread (a batch's write-back, a page's apply), wall
// and CPU time: measured on every synchronous step, read by tests and benchmarks (a step over
// 50 ms would stall the screens).
export class StepTimer {
  private wall = 0;
  private cpu = 0;

  timed<T>(fn: () => T): T {
    const t = performance.now();
    const c = process.cpuUsage();
    try {
      return fn();
    } finally {
      this.wall = Math.max(this.wall, performance.now() - t);
      const used = process.cpuUsage(c);
      this.cpu = Math.max(this.cpu, (used.user + used.system) / 1000);
    }
  }

  /** ms */
  longest(): { wall: number; cpu: number } {
    return { wall: this.wall, cpu: this.cpu };
  }
}
