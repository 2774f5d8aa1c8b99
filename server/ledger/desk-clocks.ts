// Each desk sends its own clock with every request (header `x-desk-clock`, ISO 8601). The server
// keeps the last measured difference per device, so the centre summary and the admin can see a
// desk whose clock would make its `late_return` flags, trays and statement wrong. Written at
// most once a minute per device (or when it moved by over a second): never a cost per request.
import type { Db } from '../db/db';

const REWRITE_AFTER_MS = 60_000;
const MOVED_MS = 1_000;

export function deskClockRecorder(db: Db, now: () => Date): (deviceId: string, header: string | string[] | undefined) => void {
  const last = new Map<string, { skewMs: number; atMs: number }>();
  return (deviceId, header) => {
    if (typeof header !== 'string') return;
    const desk = Date.parse(header);
    if (!Number.isFinite(desk)) return;
    const at = now();
    const skewMs = Math.round(desk - at.getTime());
    // A clock more than a year out is a broken header, not a clock worth recording.
    if (Math.abs(skewMs) > 366 * 24 * 3600_000) return;
    const seen = last.get(deviceId);
    if (seen && Math.abs(seen.skewMs - skewMs) <= MOVED_MS && at.getTime() - seen.atMs < REWRITE_AFTER_MS) return;
    last.set(deviceId, { skewMs, atMs: at.getTime() });
    void db
      .query(`update devices set clock_skew_ms = $2, clock_measured_at = $3 where device_id = $1`, [deviceId, skewMs, at.toISOString()])
      .catch(() => last.delete(deviceId));
  };
}
