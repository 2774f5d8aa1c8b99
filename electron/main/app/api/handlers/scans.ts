// The operator's desk: trays, scans (scanner, camera, manual), recent scans and totals.
import { normaliseBarcodeInput } from '../../../../../shared/barcode/barcode';
import type { RecentScan, ScanTotals } from '../../../../../shared/api/types';
import { err, ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import { openTrayCheckingClock } from '../../sync/tray-clock';
import type { SomeHandlers } from '../handler';

const SCAN_EVENTS = "('scan.recorded', 'scan.repeat', 'scan.rejected')";

export function scanHandlers(
  core: Core,
): SomeHandlers<'openBatch' | 'closeBatch' | 'getBatch' | 'listBatches' | 'recordScan' | 'recordManualEntry' | 'listConfirmers' | 'recentScans' | 'scanTotals'> {
  const actor = () => core.session.info!.personId;

  const scanContext = (now: Date) => {
    const ws = core.workstation.info();
    return {
      operatorId: actor(),
      now,
      electionNumber: ws.electionNumber,
      closesAt: ws.closesAt ? new Date(ws.closesAt) : null,
      repeatWindowMs: core.settings.get().repeatWindowSeconds * 1000,
    };
  };

  const totalsSince = (seq: number, actorId: string | null): ScanTotals => {
    const rows = core.db
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
  };

  return {
    // a clock far off the server's needs a supervisor's confirmation first (sync/tray-clock.ts)
    openBatch: (input, { now }) => openTrayCheckingClock(core, { ...input, expectedCount: input.expectedCount ?? null }, actor(), now),
    closeBatch: (input, { now }) => core.batches.close(input.batchId, { tray: input.physicalCount, pockets: input.pocketCounts }, actor(), now),
    getBatch: (input) => {
      const b = core.batches.get(input.batchId);
      return b ? ok(b) : err({ code: 'not_found', message: 'No such tray.' });
    },
    listBatches: () => ok(core.batches.list()),

    recordScan: (input, { now }) => ok(core.receipts.record({ raw: input.barcode, source: input.source }, scanContext(now))),

    recordManualEntry: async (input, { now }) => {
      // Typed twice so that one slip of the finger cannot record another member's envelope.
      if (normaliseBarcodeInput(input.barcode) !== normaliseBarcodeInput(input.repeatBarcode)) {
        return err({ code: 'invalid_input', message: 'The two numbers do not match: type the number again.' });
      }
      // A typed envelope deactivates an online code like a scanned one, so a second person
      // confirms it: a supervisor other than the operator, with their PIN, checked as at
      // sign-in (a wrong PIN counts towards that supervisor's lock-out). Nothing is recorded
      // before the confirmation holds (issue 15 item 3).
      const c = input.confirmation;
      const operatorId = actor();
      if (c.supervisorId === operatorId) {
        return err({ code: 'forbidden', message: 'You cannot confirm your own manual entry: another supervisor must choose their name and type their PIN.' });
      }
      const who = await core.people.signIn(c.supervisorId, c.pin, now);
      if (!who.ok) return err({ code: who.error.code === 'locked' ? 'locked' : 'forbidden', message: who.error.message });
      if (who.value.role !== 'supervisor') return err({ code: 'forbidden', message: `${who.value.name} is not a supervisor: a supervisor must confirm a manual entry.` });
      // the operator was not signed out meanwhile (signIn awaits scrypt)
      if (core.session.info?.personId !== operatorId) return err({ code: 'not_signed_in', message: 'You were signed out: sign in again.' });
      return ok(
        core.receipts.record({ raw: input.barcode, source: 'manual', manualReason: input.reason, confirmedBy: who.value.personId }, scanContext(now)),
      );
    },

    listConfirmers: () => ok(core.people.signInNames('supervisor').filter((p) => p.id !== actor())),

    recentScans: (input) => {
      const rows = core.db
        .prepare(
          `SELECT a.at, a.event, a.detail, f.kind
             FROM audit a
             LEFT JOIN flags f ON a.event = 'scan.recorded' AND f.receipt_id = json_extract(a.detail, '$.receiptId')
            WHERE a.event IN ${SCAN_EVENTS}
            ORDER BY a.seq DESC LIMIT ?`,
        )
        .all(input.limit) as Array<{ at: string; event: string; detail: string; kind: RecentScan['kind'] }>;
      return ok(
        rows.map((r): RecentScan => {
          const d = JSON.parse(r.detail) as { display?: string; reason?: string; source: RecentScan['source'] };
          const verdict = r.event === 'scan.rejected' ? 'rejected' : r.event === 'scan.repeat' ? 'already_recorded' : r.kind ? 'flagged' : 'recorded';
          return { at: r.at, source: d.source, verdict, kind: r.kind, display: d.display ?? null, reason: d.reason ?? null };
        }),
      );
    },

    scanTotals: () => {
      const session = core.session.info!;
      const start = core.db
        .prepare("SELECT COALESCE(max(seq), 0) AS s FROM audit WHERE event = 'signin.succeeded' AND actor = ?")
        .get(session.personId) as { s: number };
      const today = new Date(core.now());
      today.setHours(0, 0, 0, 0);
      // The first entry of today, found by the audit_at index (not by reading the whole log).
      const firstToday = core.db.prepare('SELECT seq FROM audit WHERE at >= ? ORDER BY at LIMIT 1').get(today.toISOString()) as { seq: number } | undefined;
      const todayStart = firstToday ? firstToday.seq - 1 : core.audit.head().seq;
      return ok({ session: totalsSince(start.s, session.personId), today: totalsSince(todayStart, null) });
    },
  };
}
