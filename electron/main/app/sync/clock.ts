// The desk's clock against the central server's. Every answer's Date header is a reading of
// the server's clock in whole seconds, taken somewhere between sending the request and the
// headers coming back; the desk's clock at that moment is taken as the middle of the request.
// So one reading is good to ±(0.5 s + half the request's time) plus up to a second of the
// server's cached Date: plenty for thresholds of minutes. Of one sync's readings the one from
// the quickest request is kept. The desk's clock stamps scans (late_return), trays, the
// statement and the audit log, so a wrong clock is shown in words and, when far off, a
// supervisor must confirm before a tray is opened.
import type { ClockCheck } from '../../../../shared/api/types';
import type { ClockSample } from './central-client';

/** Over this, Sync status and the scan screen say how far off the clock is. */
export const CLOCK_WARN_MS = 2 * 60_000;
/** Over this, opening a tray needs a supervisor's confirmation. */
export const CLOCK_CONFIRM_MS = 10 * 60_000;

export interface SkewReading {
  /** the desk's clock minus the server's, ms: negative when the desk is behind */
  skewMs: number;
  /** how far the reading may be off, ms */
  uncertaintyMs: number;
  /** when it was read, by the desk's clock */
  measuredAt: string;
}

/** One sample as a skew reading. */
export function readingOf(sample: ClockSample): SkewReading {
  const deskMiddle = sample.deskSentMs + sample.durationMs / 2;
  // the Date header truncates to the second: the server's time was in [date, date + 1 s)
  const serverMiddle = sample.serverDateMs + 500;
  return {
    skewMs: Math.round(deskMiddle - serverMiddle),
    uncertaintyMs: Math.round(500 + sample.durationMs / 2 + 1000),
    measuredAt: new Date(sample.deskSentMs).toISOString(),
  };
}

/** The better of two readings (the smaller uncertainty). */
export function better(a: SkewReading | null, b: SkewReading): SkewReading {
  return a === null || b.uncertaintyMs < a.uncertaintyMs ? b : a;
}

/** "7 minutes", "1 hour 5 minutes", "3 days" */
export function durationWords(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}`;
  return plural(Math.round(hours / 24), 'day');
}

/** What the screens show about the clock, from the latest reading. */
export function clockCheckOf(reading: SkewReading | null): ClockCheck | null {
  if (!reading) return null;
  const off = Math.abs(reading.skewMs);
  const warn = off > CLOCK_WARN_MS;
  return {
    skewMs: reading.skewMs,
    measuredAt: reading.measuredAt,
    warning: warn ? `this computer's clock is ${durationWords(off)} ${reading.skewMs < 0 ? 'behind' : 'ahead of'} the central server` : null,
    confirmTrays: off > CLOCK_CONFIRM_MS,
  };
}
