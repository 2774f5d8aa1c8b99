// The supervisor's live dashboard: receipts per 15 minutes today, flags by kind, each
// operator's receipts today and in the last hour, open flags, and the sync backlog (how
// many items wait, since when, and when the last sync succeeded). Short indexed queries:
// it is asked every few seconds while scanning goes on.
import type { Dashboard } from '../../../../shared/api/types';
import { FLAG_KINDS, type FlagKind } from '../../../../shared/domain';
import type { Db } from '../db/open';
import { currentDecisionOf } from '../ledger/current-decision';

const QUARTER_MS = 15 * 60_000;

/** Start of the local day of `now`, as the ISO string receipts are compared with. */
function startOfDay(now: Date): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d;
}

export function buildDashboard(db: Db, now: Date, refused: number): Dashboard {
  const dayStart = startOfDay(now).toISOString();

  // Receipts since the start of the day, bucketed by quarter hour (UTC quarters are local
  // quarters too for every whole-quarter time zone offset).
  const quarterRows = db
    .prepare(
      `SELECT (CAST(strftime('%s', r.scanned_at) AS INTEGER) / 900) * 900 AS q,
              sum(CASE WHEN f.id IS NULL THEN 1 ELSE 0 END) AS recorded,
              sum(CASE WHEN f.id IS NULL THEN 0 ELSE 1 END) AS flagged
         FROM receipts r LEFT JOIN flags f ON f.receipt_id = r.id
        WHERE r.scanned_at >= ?
        GROUP BY q ORDER BY q`,
    )
    .all(dayStart) as Array<{ q: number; recorded: number; flagged: number }>;
  const receiptsPer15Min: Dashboard['receiptsPer15Min'] = [];
  if (quarterRows.length > 0) {
    const byQuarter = new Map(quarterRows.map((r) => [r.q * 1000, r]));
    const first = quarterRows[0]!.q * 1000;
    const last = Math.max(quarterRows[quarterRows.length - 1]!.q * 1000, Math.floor(now.getTime() / QUARTER_MS) * QUARTER_MS);
    // At most a day of quarters; empty quarters are drawn as gaps, not left out.
    for (let t = Math.max(first, last - 96 * QUARTER_MS + QUARTER_MS); t <= last; t += QUARTER_MS) {
      const r = byQuarter.get(t);
      receiptsPer15Min.push({ start: new Date(t).toISOString(), recorded: r?.recorded ?? 0, flagged: r?.flagged ?? 0 });
    }
  }

  const flagsByKind = Object.fromEntries(FLAG_KINDS.map((k) => [k, 0])) as Record<FlagKind, number>;
  for (const r of db.prepare('SELECT kind, count(*) AS n FROM flags GROUP BY kind').all() as Array<{ kind: FlagKind; n: number }>) {
    flagsByKind[r.kind] = r.n;
  }

  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const perOperator = (
    db
      .prepare(
        `SELECT COALESCE(p.name, r.operator_id) AS name, count(*) AS receipts,
                sum(CASE WHEN r.scanned_at >= ? THEN 1 ELSE 0 END) AS last_hour
           FROM receipts r LEFT JOIN people p ON p.id = r.operator_id
          WHERE r.scanned_at >= ?
          GROUP BY r.operator_id ORDER BY receipts DESC`,
      )
      .all(hourAgo, dayStart) as Array<{ name: string; receipts: number; last_hour: number }>
  ).map((r) => ({ name: r.name, receipts: r.receipts, perHour: r.last_hour }));

  const waiting = db
    .prepare(`SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL AND failed = 0 AND kind <> 'audit_head'`)
    .get() as { n: number; oldest: string | null };
  const lastSync = db.prepare(`SELECT max(at) AS at FROM audit WHERE event IN ('sync.pushed', 'sync.pulled')`).get() as { at: string | null };
  const openFlags = db
    .prepare(
      `SELECT count(*) AS n FROM flags f
        WHERE COALESCE(${currentDecisionOf('f')}, 'escalate') = 'escalate'`,
    )
    .get() as { n: number };

  return {
    receiptsPer15Min,
    flagsByKind,
    perOperator,
    waiting: waiting.n,
    lastSyncAt: lastSync.at,
    oldestWaitingAt: waiting.oldest,
    refused,
    openFlags: openFlags.n,
  };
}
