// When the sync engine runs a cycle: at most one at a time; a request for another while one
// runs makes one more run after it; a backoff's retry time is never run before (unless cleared);
// timers never hold the process open. The engine says what a cycle is (`run`) and what follows
// one (`afterCycle`); this file owns the timers.
export interface SchedulerHooks {
  /** one cycle: push, pull, and so on (engine.ts) */
  run(): Promise<void>;
  /** a cycle threw: a bug, which the engine logs and shows */
  onError(e: unknown): void;
  /** after every cycle, thrown or not */
  afterCycle(): void;
  /** false once the engine is closed or halted: nothing more is scheduled */
  canRun(): boolean;
  /** the delay of "once more after this one" */
  debounceMs: number;
}

export class CycleScheduler {
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private intervals: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private retryAt: number | null = null;

  constructor(private readonly hooks: SchedulerHooks) {}

  /** A cycle in `delayMs` at the earliest, and not before the retry time; while one runs: once more after it. */
  schedule(delayMs: number): void {
    if (!this.hooks.canRun()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    let due = Date.now() + delayMs;
    if (this.retryAt !== null && due < this.retryAt) due = this.retryAt;
    if (this.timer && this.timerDue <= due) return;
    this.cancel();
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      void this.runNow();
    }, Math.max(0, due - Date.now()));
    this.timer.unref();
  }

  /** The backoff: no cycle before `atMs` (null: no such limit any more). */
  retryNotBefore(atMs: number | null): void {
    this.retryAt = atMs;
  }

  /** The cycle running asks for one more after it (something still waits). */
  runAgainAfter(): void {
    this.again = true;
  }

  /** Runs a cycle now, or, if one runs, returns it and runs one more after it. */
  runNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.cancel();
    this.running = this.hooks
      .run()
      .catch((e: unknown) => this.hooks.onError(e))
      .finally(() => {
        this.running = null;
        this.hooks.afterCycle();
        if (this.again && this.hooks.canRun()) {
          this.again = false;
          this.schedule(this.hooks.debounceMs);
        }
      });
    return this.running;
  }

  /** Calls `fn` every `ms` until stopped (not holding the process open). */
  every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.intervals.push(t);
  }

  /** The planned cycle is dropped (a cycle running goes on). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDue = Infinity;
  }

  /** No more timers; the cycle running, if any, is for the caller to end (abort) and await. */
  stopTimers(): void {
    for (const t of this.intervals) clearInterval(t);
    this.intervals = [];
    this.cancel();
  }

  /** The cycle running now, if any, has ended (one more may follow). */
  async currentEnded(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** No cycle runs. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }
}
