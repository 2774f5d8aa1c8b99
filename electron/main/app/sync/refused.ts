// Receipts and decisions made here that the central server refused: counted in Sync status
// ("N refused"), listed for supervisors with the server's words, and sent again on request
// (audited), so that a refusal caused by a since-fixed server or register heals. A refused
// decision stops counting once a later decision was taken on its flag (the supervisor decided
// again with what the server said); a refused receipt counts until the server takes it.
import type { RefusedItem } from '../../../../shared/api/types';
import { formatBarcode } from '../../../../shared/barcode/barcode';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import { BLOCKED_BY_RECEIPT } from './outbox';

/** Failed rows that are still outstanding: receipts, and decisions not superseded on their flag. */
const OUTSTANDING = `
  o.failed = 1 AND (o.kind = 'receipt' OR (o.kind = 'resolution' AND NOT EXISTS (
    SELECT 1 FROM decisions d JOIN decisions later ON later.flag_id = d.flag_id AND later.rowid > d.rowid
     WHERE d.id = o.ref_id)))`;

/**
 * What an older desk wrote when a proxy's answer (an error page without the server's words)
 * was taken for a refusal: "refused by the server: HTTP 404" and the like. Such rows were never
 * the server's word; they are sent again at start.
 */
const EARLIER_TRANSPORT_FAILURE = /^(refused by the server|decision refused by the server): HTTP [0-9]{3}$/;

interface RefusedRow {
  seq: number;
  kind: 'receipt' | 'resolution';
  ref_id: string;
  payload: string;
  attempts: number;
  last_error: string | null;
  barcode: string | null;
  batch_label: string | null;
  position: number | null;
  scanned_at: string | null;
  decision: string | null;
  decided_at: string | null;
  decision_barcode: string | null;
}

export class RefusedItems {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox o WHERE ${OUTSTANDING}`),
      latest: db.prepare<[], { last_error: string | null }>(`SELECT o.last_error FROM outbox o WHERE ${OUTSTANDING} ORDER BY o.seq DESC LIMIT 1`),
      list: db.prepare<[], RefusedRow>(
        `SELECT o.seq, o.kind, o.ref_id, o.payload, o.attempts, o.last_error,
                r.barcode, b.label AS batch_label, r.position, r.scanned_at,
                d.decision, d.decided_at, dr.barcode AS decision_barcode
           FROM outbox o
           LEFT JOIN receipts r ON o.kind = 'receipt' AND r.id = o.ref_id
           LEFT JOIN batches b ON b.id = r.batch_id
           LEFT JOIN decisions d ON o.kind = 'resolution' AND d.id = o.ref_id
           LEFT JOIN flags f ON f.id = d.flag_id
           LEFT JOIN receipts dr ON dr.id = f.receipt_id
          WHERE ${OUTSTANDING} ORDER BY o.seq`,
      ),
      row: db.prepare<[number], { seq: number; kind: string; ref_id: string; failed: number }>('SELECT seq, kind, ref_id, failed FROM outbox WHERE seq = ?'),
      requeue: db.prepare<[number]>('UPDATE outbox SET failed = 0, last_error = NULL WHERE seq = ? AND failed = 1'),
      blockedDecisions: db.prepare<[string, string], { seq: number; ref_id: string }>(
        `SELECT o.seq, o.ref_id FROM outbox o
          WHERE o.failed = 1 AND o.kind = 'resolution' AND o.last_error = ?
            AND json_extract(o.payload, '$.receiptId') = ?`,
      ),
      failedRows: db.prepare<[], { seq: number; last_error: string | null }>("SELECT seq, last_error FROM outbox WHERE failed = 1 AND kind IN ('receipt', 'resolution')"),
    };
  }

  /** How many are outstanding (the "N refused" of Sync status). Index-only on outbox_failed. */
  count(): number {
    return this.s.count.get()!.n;
  }

  /** The server's words on the latest outstanding one. */
  latestReason(): string | null {
    return this.s.latest.get()?.last_error ?? null;
  }

  list(): RefusedItem[] {
    return this.s.list.all().map((r): RefusedItem => {
      if (r.kind === 'receipt') {
        return {
          outboxSeq: r.seq,
          kind: 'receipt',
          display: r.barcode ? formatBarcode(r.barcode) : null,
          what: r.batch_label !== null ? `receipt in tray ${r.batch_label}, position ${r.position}` : 'receipt',
          madeAt: r.scanned_at ?? '',
          reason: r.last_error ?? 'no reason given',
          attempts: r.attempts,
        };
      }
      return {
        outboxSeq: r.seq,
        kind: 'decision',
        display: r.decision_barcode ? formatBarcode(r.decision_barcode) : null,
        what: r.decision ? `decision: ${r.decision.replace('_', ' ')}` : 'decision',
        madeAt: r.decided_at ?? '',
        reason: r.last_error ?? 'no reason given',
        attempts: r.attempts,
      };
    });
  }

  /**
   * Puts refused rows back in the queue, with an audit entry naming them and who asked, in one
   * transaction. A resent receipt takes the decisions that waited for it along. Rows that are
   * not refused (already sent, or waiting) are left alone. Returns how many were queued again.
   */
  resend(outboxSeqs: readonly number[], actor: string | null, reason: string, now: Date): number {
    return this.db.transaction(() => {
      const receipts: string[] = [];
      const decisions: string[] = [];
      for (const seq of new Set(outboxSeqs)) {
        const row = this.s.row.get(seq);
        if (!row || row.failed !== 1 || (row.kind !== 'receipt' && row.kind !== 'resolution')) continue;
        this.s.requeue.run(seq);
        if (row.kind === 'resolution') {
          decisions.push(row.ref_id);
          continue;
        }
        receipts.push(row.ref_id);
        for (const d of this.s.blockedDecisions.all(BLOCKED_BY_RECEIPT, row.ref_id)) {
          this.s.requeue.run(d.seq);
          decisions.push(d.ref_id);
        }
      }
      const resent = receipts.length + decisions.length;
      if (resent > 0) this.audit.append('sync.resent', actor, { receipts, decisions, reason }, now);
      return resent;
    }).immediate();
  }

  /** Rows an older desk failed on a proxy's answer (see EARLIER_TRANSPORT_FAILURE). */
  earlierTransportFailures(): number[] {
    return this.s
      .failedRows.all()
      .filter((r) => r.last_error !== null && EARLIER_TRANSPORT_FAILURE.test(r.last_error))
      .map((r) => r.seq);
  }
}
