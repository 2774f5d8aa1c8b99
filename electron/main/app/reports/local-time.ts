// Times on the statement: this computer's local time, with the zone named, so a returning
// officer reads the hour on the wall clock and knows which clock it was (issue 14 item 11).
// "2026-11-25 18:04:09 CET"; the zone's full name is said once, at the top.

/** The zone the statement's times are in (the desk's own, or as given). */
export function statementZone(timeZone?: string): string {
  return timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

// One formatter per zone, made once: making an Intl.DateTimeFormat costs about a quarter of a
// millisecond, and a statement of a few hundred trays asks for a few hundred times.
const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** An instant as "YYYY-MM-DD HH:MM:SS ZONE" in the local zone; "-" for none. */
export function localWhen(iso: string | null, timeZone?: string): string {
  if (!iso) return '-';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const parts = Object.fromEntries(
    formatIn(statementZone(timeZone))
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName}`;
}

/** The hour and minute only ("18:04"), local. */
export function localHourMinute(iso: string, timeZone?: string): string {
  return localWhen(iso, timeZone).slice(11, 16);
}
