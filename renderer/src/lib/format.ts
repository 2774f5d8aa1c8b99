// How times and numbers read on screen.
export function timeOf(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTimeOf(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toLocaleDateString()} ${d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
}

/** A moment to the second, with its date: `25/11/2026 06:47:12` (an audit log's time). */
export function secondsOf(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toLocaleDateString()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min ago`;
}

export const count = (n: number): string => n.toLocaleString('en-GB');

const two = (n: number): string => String(n).padStart(2, '0');
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const FULL_DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'full' });

/** Local date of a moment as `YYYY-MM-DD`, to tell today from other days. */
export function dayOf(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/**
 * A moment for a narrow column: the time `HH:MM:SS` (24-hour), and the day (e.g. `25 Nov`)
 * only when it is not `today` (dayOf(now), passed in so that a table works it out once).
 */
export function compactTimeOf(iso: string, today: string): { day: string | null; clock: string } {
  const d = new Date(iso);
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return { day: dayOf(d) === today ? null : DAY_MONTH.format(d), clock };
}

/** A moment in full, to the second (for a title or a detail view). */
export function fullDateTimeOf(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${FULL_DATE.format(d)}, ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A moment in a table cell: `06:47` today, `24 Nov 06:47` on another day. */
export function shortMomentOf(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}`;
  return dayOf(d) === dayOf(now) ? clock : `${DAY_MONTH.format(d)} ${clock}`;
}
