// What the operator's screen shows of past reads: the latest reads (recorded, repeat, rejected,
// with the flag kind of a flagged one), and the totals of this session and of today. Both read
// the audit log, which holds every read, the rejected ones included (receipts hold only those
// recorded). Kept here, beside the ledger, so the handlers hold no SQL.
import type { RecentScan, ScanTotals } from '../../../../shared/api/types';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';

const SCAN_EVENTS = "('scan.recorded', 'scan.repeat', 'scan.rejected')";

export class ScanHistory {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  /** The latest `limit` reads, newest first. */
  recent(limit: number): RecentScan[] {
    const rows = this.db
      .prepare(
        `SELECT a.at, a.event, a.detail, f.kind
           FROM audit a
           LEFT JOIN flags f ON a.event = 'scan.recorded' AND f.receipt_id = json_extract(a.detail, '$.receiptId')
          WHERE a.event IN ${SCAN_EVENTS}
          ORDER BY a.seq DESC LIMIT ?`,
      )
      .all(limit) as Array<{ at: string; event: string; detail: string; kind: RecentScan['kind'] }>;
    return rows.map((r): RecentScan => {
      const d = JSON.parse(r.detail) as { display?: string; reason?: string; source: RecentScan['source'] };
      const verdict = r.event === 'scan.rejected' ? 'rejected' : r.event === 'scan.repeat' ? 'already_recorded' : r.kind ? 'flagged' : 'recorded';
      return { at: r.at, source: d.source, verdict, kind: r.kind, display: d.display ?? null, reason: d.reason ?? null };
    });
  }

  /** This person's reads since they last signed in, and everyone's since local midnight. */
  totals(personId: string, now: Date): { session: ScanTotals; today: ScanTotals } {
    const start = this.db
      .prepare("SELECT COALESCE(max(seq), 0) AS s FROM audit WHERE event = 'signin.succeeded' AND actor = ?")
      .get(personId) as { s: number };
    const today = new Date(now);
    today.setHours(0, 0, 0, 0);
    // The first entry of today, found by the audit_at index (not by reading the whole log).
    const firstToday = this.db.prepare('SELECT seq FROM audit WHERE at >= ? ORDER BY at LIMIT 1').get(today.toISOString()) as { seq: number } | undefined;
    const todayStart = firstToday ? firstToday.seq - 1 : this.audit.head().seq;
    return { session: this.totalsSince(start.s, personId), today: this.totalsSince(todayStart, null) };
  }

  private totalsSince(seq: number, actorId: string | null): ScanTotals {
    const rows = this.db
      .prepare(
        `SELECT a.event, count(*) AS n,
                sum(CASE WHEN f.id IS NOT NULL THEN 1 ELSE 0 END) AS flagged
           FROM audit a
           LEFT JOIN flags f ON a.event = 'scan.recorded' AND f.receipt_id = json_extract(a.detail, '$.receiptId')
          WHERE a.seq > ? AND a.event IN ${SCAN_EVENTS} AND (? IS NULL OR a.actor = ?)
          GROUP BY a.event`,
      )
      .all(seq, actorId, actorId) as Array<{ event: string; n: number; flagged: number }>;
    const t: ScanTotals = { recorded: 0, flagged: 0, alreadyRecorded: 0, rejected: 0 };
    for (const r of rows) {
      if (r.event === 'scan.recorded') {
        t.flagged = r.flagged;
        t.recorded = r.n - r.flagged;
      } else if (r.event === 'scan.repeat') t.alreadyRecorded = r.n;
      else t.rejected = r.n;
    }
    return t;
  }
}
