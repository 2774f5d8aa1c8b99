// Keeps the desk's last measured clock difference with the server: every answer of a cycle is a
// sample (clock.ts), the best of the cycle becomes the reading, kept in server_clock so a desk
// that starts offline still knows its clock was off. Crossing the 2-minute line either way is
// audited (sync.clock_skew), so the log says from when scan times are suspect.
import type { ClockCheck } from '../../../../shared/api/types';
import type { SyncDeps } from './deps';
import type { ClockSample } from './central-client';
import { better, clockCheckOf, readingOf, type SkewReading } from './clock';

export class ClockWatch {
  private reading: SkewReading | null;
  private cycleBest: SkewReading | null = null;

  constructor(private readonly core: SyncDeps) {
    const row = core.db.prepare('SELECT skew_ms, uncertainty_ms, measured_at FROM server_clock WHERE id = 1').get() as
      | { skew_ms: number; uncertainty_ms: number; measured_at: string }
      | undefined;
    this.reading = row ? { skewMs: row.skew_ms, uncertaintyMs: row.uncertainty_ms, measuredAt: row.measured_at } : null;
  }

  /** one answer's Date header (CentralClient's onClockSample) */
  readonly sample = (s: ClockSample): void => {
    this.cycleBest = better(this.cycleBest, readingOf(s));
  };

  /** A cycle ended: its best sample becomes the reading. True when what the screens show changed. */
  endCycle(): boolean {
    const next = this.cycleBest;
    this.cycleBest = null;
    if (!next) return false;
    const before = clockCheckOf(this.reading);
    this.reading = next;
    const after = clockCheckOf(next)!;
    const now = this.core.now();
    this.core.db
      .transaction(() => {
        this.core.db
          .prepare(
            `INSERT INTO server_clock (id, skew_ms, uncertainty_ms, measured_at) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET skew_ms = excluded.skew_ms, uncertainty_ms = excluded.uncertainty_ms, measured_at = excluded.measured_at`,
          )
          .run(next.skewMs, next.uncertaintyMs, next.measuredAt);
        if ((before?.warning ?? null) === null && after.warning !== null) {
          this.core.audit.append('sync.clock_skew', null, { skewMs: next.skewMs, uncertaintyMs: next.uncertaintyMs, words: after.warning }, now);
        } else if (before?.warning && after.warning === null) {
          this.core.audit.append('sync.clock_skew', null, { skewMs: next.skewMs, uncertaintyMs: next.uncertaintyMs, words: "this computer's clock agrees with the central server again" }, now);
        }
      })
      .immediate();
    if (after.warning) this.core.log.warn('clock differs from the central server', { skewMs: next.skewMs, uncertaintyMs: next.uncertaintyMs });
    return JSON.stringify(before) !== JSON.stringify(after);
  }

  check(): ClockCheck | null {
    return clockCheckOf(this.reading);
  }
}
