// The outbox as the sync engine sees it: what is waiting, and writing the server's answers
// back. One transaction per pushed batch stores the server verdicts beside the desk's,
// adds a 'server' flag where the desk had accepted but the server flagged (a desk flag is
// never removed or replaced), marks the rows sent (or failed, with the server's words), and
// audits it. A row is marked failed only on the server's own word (a per-item result, or a
// problem+json server-words.ts names); a transport failure leaves it waiting.
import type { FlagKind } from '../../../../shared/domain';
import type { ReceiptResult } from '../../../../shared/protocol/central-api';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';

export interface OutboxRow {
  seq: number;
  kind: 'receipt' | 'resolution' | 'audit_head';
  ref_id: string;
  payload: string;
  attempts: number;
  /** for a receipt: the flag the desk showed the operator (sent as ReceiptIn.deskFlag) */
  desk_flag?: FlagKind | null;
}

/** The resolution payload written by ledger/flags.ts with each decision. */
export interface ResolutionPayload {
  resolutionId: string;
  decision: 'set_aside' | 'count' | 'void_receipt' | 'escalate';
  note: string;
  supervisorId: string;
  decidedAt: string;
  flagId: string;
  receiptId: string;
  serverFlagId: string | null;
}

/** How a resolution the server refused is marked in outbox.last_error, before the server's reason. */
export const REFUSED_DECISION = 'decision refused by the server: ';
/** How a receipt the server refused is marked in outbox.last_error, before the server's reason. */
export const REFUSED_RECEIPT = 'refused by the server: ';
/** A decision on a receipt the server refused: it waits for the receipt to be sent again. */
export const BLOCKED_BY_RECEIPT = 'this decision cannot be sent: its receipt was refused by the server';

export interface PushTally {
  accepted: number;
  flagged: number;
  rejected: number;
  newFlags: number;
}

export class Outbox {
  private readonly s;
  // Read once, then kept up to date here: finding the last head means walking the outbox.
  private lastHead: { seq: number; payload: string; sent: boolean } | null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      // The desk's own flag rides along (ReceiptIn.deskFlag): read at send time, so receipts
      // queued before this was sent carry it too. One probe of flags' unique receipt index.
      pending: db.prepare<[string, number], OutboxRow>(
        `SELECT o.seq, o.kind, o.ref_id, o.payload, o.attempts, f.kind AS desk_flag FROM outbox o
           LEFT JOIN flags f ON f.receipt_id = o.ref_id AND f.raised_by = 'desk'
          WHERE o.sent_at IS NULL AND o.failed = 0 AND o.kind = ? ORDER BY o.seq LIMIT ?`,
      ),
      // counted on the partial index alone (no table lookups): cheap with 100,000 rows waiting
      unsent: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed = 0`),
      unsentReceipts: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL AND failed = 0 AND kind = 'receipt'`),
      auditHeadRows: db.prepare<[], { seq: number; payload: string; sent_at: string | null }>(
        `SELECT seq, payload, sent_at FROM outbox WHERE kind = 'audit_head' ORDER BY seq DESC LIMIT 1`,
      ),
      receiptWaiting: db.prepare<[string], { one: number }>(
        `SELECT 1 AS one FROM outbox WHERE kind = 'receipt' AND ref_id = ? AND sent_at IS NULL AND failed = 0`,
      ),
      lastSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM outbox'),
      lastReceiptSeq: db.prepare<[], { n: number }>('SELECT COALESCE(max(seq), 0) AS n FROM receipts'),
      markSent: db.prepare<[string, number]>('UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE seq = ?'),
      markSentWithNote: db.prepare<[string, string, number]>('UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = ? WHERE seq = ?'),
      markFailed: db.prepare<[string, number]>('UPDATE outbox SET failed = 1, attempts = attempts + 1, last_error = ? WHERE seq = ?'),
      // INSERT OR IGNORE: recorded once (a NULL order from an older answer stays)
      serverOrder: db.prepare<[string, number | null]>('INSERT OR IGNORE INTO decision_server_order (decision_id, server_seq) VALUES (?, ?)'),
      standingRefusal: db.prepare<[string], { one: number }>(
        `SELECT 1 AS one FROM decision_refusals x WHERE x.decision_id = ?
            AND NOT EXISTS (SELECT 1 FROM decision_refusal_lifts l WHERE l.decision_id = x.decision_id)`,
      ),
      liftRefusal: db.prepare<[string, string]>('INSERT INTO decision_refusal_lifts (decision_id, lifted_at) VALUES (?, ?)'),
      flagOfDecision: db.prepare<[string], { flag_id: string; decision: string }>('SELECT flag_id, decision FROM decisions WHERE id = ?'),
      upsertVerdict: db.prepare(
        `INSERT INTO server_verdicts (receipt_id, outcome, kind, server_flag_id, related_receipt_ids, detail, online_code, error, received_at, recorded_at)
         VALUES (@receiptId, @outcome, @kind, @flagId, @related, @detail, @onlineCode, @error, @receivedAt, @recordedAt)
         ON CONFLICT (receipt_id) DO UPDATE SET outcome = excluded.outcome, kind = excluded.kind,
           server_flag_id = excluded.server_flag_id, related_receipt_ids = excluded.related_receipt_ids,
           detail = excluded.detail, online_code = excluded.online_code, error = excluded.error,
           received_at = excluded.received_at`,
      ),
      receiptExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM receipts WHERE id = ?'),
      flagOf: db.prepare<[string], { id: string }>('SELECT id FROM flags WHERE receipt_id = ?'),
      insertServerFlag: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at, related_receipt_ids) VALUES (?, ?, ?, 'server', ?, ?)`,
      ),
      serverFlagOfReceipt: db.prepare<[string], { server_flag_id: string | null; outcome: string }>(
        'SELECT server_flag_id, outcome FROM server_verdicts WHERE receipt_id = ?',
      ),
      insertAuditHead: db.prepare<[string, string, string]>(
        `INSERT INTO outbox (kind, ref_id, payload, created_at) VALUES ('audit_head', ?, ?, ?)`,
      ),
      updateAuditHead: db.prepare<[string, string, number]>('UPDATE outbox SET ref_id = ?, payload = ? WHERE seq = ?'),
    };
    const h = this.s.auditHeadRows.get();
    this.lastHead = h ? { seq: h.seq, payload: h.payload, sent: h.sent_at !== null } : null;
  }

  pending(kind: OutboxRow['kind'], limit: number): OutboxRow[] {
    return this.s.pending.all(kind, limit);
  }

  /** receipts and decisions not yet on the server (the "N waiting" of the status) */
  waiting(): number {
    return this.s.unsent.get()!.n - (this.lastHead && !this.lastHead.sent ? 1 : 0);
  }

  /** Receipts not yet sent (what the server's figures for this desk still lack). */
  receiptsWaiting(): number {
    return this.s.unsentReceipts.get()!.n;
  }

  receiptWaiting(receiptId: string): boolean {
    return this.s.receiptWaiting.get(receiptId) !== undefined;
  }

  lastSeq(): number {
    return this.s.lastSeq.get()!.seq ?? 0;
  }

  /** The server's flag on a receipt, once its verdict is known. */
  serverVerdictOf(receiptId: string): { serverFlagId: string | null; outcome: string } | null {
    const r = this.s.serverFlagOfReceipt.get(receiptId);
    return r ? { serverFlagId: r.server_flag_id, outcome: r.outcome } : null;
  }

  /**
   * Stores one batch's results (same order as `rows`) in one transaction.
   * A `rejected` result marks its row failed with the reason; the rest are sent.
   */
  recordReceiptResults(rows: OutboxRow[], results: ReceiptResult[], now: Date): PushTally {
    const tally: PushTally = { accepted: 0, flagged: 0, rejected: 0, newFlags: 0 };
    const at = now.toISOString();
    this.db.transaction(() => {
      rows.forEach((row, i) => {
        const r = results[i]!;
        tally[r.outcome]++;
        if (this.s.receiptExists.get(row.ref_id)) {
          this.s.upsertVerdict.run({
            receiptId: row.ref_id,
            outcome: r.outcome,
            kind: r.flag?.kind ?? null,
            flagId: r.flag?.flagId ?? null,
            related: JSON.stringify(r.flag?.relatedReceiptIds ?? []),
            detail: r.flag?.detail ?? null,
            onlineCode: r.onlineCode,
            error: r.error ?? null,
            receivedAt: r.receivedAt,
            recordedAt: at,
          });
          if (r.outcome === 'flagged' && r.flag && !this.s.flagOf.get(row.ref_id)) {
            // The server knew more (another workstation or centre, an online vote): its flag
            // joins the supervisor's queue. A desk flag stays as it is.
            this.s.insertServerFlag.run(r.flag.flagId, row.ref_id, r.flag.kind, at, JSON.stringify(r.flag.relatedReceiptIds));
            this.audit.append('flag.raised', null, { flagId: r.flag.flagId, receiptId: row.ref_id, kind: r.flag.kind, raisedBy: 'server' }, now);
            tally.newFlags++;
          }
        }
        if (r.outcome === 'rejected') this.s.markFailed.run(`${REFUSED_RECEIPT}${r.error ?? 'no reason given'}`, row.seq);
        else this.s.markSent.run(at, row.seq);
      });
      this.audit.append(
        'sync.pushed',
        null,
        { kind: 'receipts', count: rows.length, firstSeq: rows[0]!.seq, lastSeq: rows[rows.length - 1]!.seq, accepted: tally.accepted, flagged: tally.flagged, rejected: tally.rejected },
        now,
      );
    }).immediate();
    return tally;
  }

  markSent(row: OutboxRow, now: Date, note?: string): void {
    this.db.transaction(() => {
      if (row.kind === 'audit_head' && this.lastHead?.seq === row.seq) this.lastHead.sent = true;
      if (note) this.s.markSentWithNote.run(now.toISOString(), note, row.seq);
      else this.s.markSent.run(now.toISOString(), row.seq);
      if (row.kind === 'resolution') this.audit.append('sync.pushed', null, { kind: 'resolution', seq: row.seq, resolutionId: row.ref_id, ...(note ? { note } : {}) }, now);
    }).immediate();
  }

  /**
   * The server took a decision made here (200): the row is sent, the server's commit order is
   * kept, and a refusal it had made before (the decision was sent again) no longer applies.
   * One transaction. True when a refusal was lifted (the flag's state changed).
   */
  markDecisionAccepted(row: OutboxRow, serverSeq: number | null, now: Date): boolean {
    return this.db.transaction(() => {
      const at = now.toISOString();
      this.s.markSent.run(at, row.seq);
      this.s.serverOrder.run(row.ref_id, serverSeq);
      const lifted = this.s.standingRefusal.get(row.ref_id) !== undefined;
      this.audit.append('sync.pushed', null, { kind: 'resolution', seq: row.seq, resolutionId: row.ref_id, serverSeq }, now);
      if (lifted) {
        this.s.liftRefusal.run(row.ref_id, at);
        const d = this.s.flagOfDecision.get(row.ref_id);
        this.audit.append('flag.decision_accepted', null, { decisionId: row.ref_id, flagId: d?.flag_id ?? null, decision: d?.decision ?? null }, now);
      }
      return lifted;
    }).immediate();
  }

  /**
   * Decisions the server refused before refusals were recorded (desks older than migration
   * 004 only marked the outbox row): each with the server's reason, not yet in decision_refusals.
   */
  earlierRefusals(): Array<{ decisionId: string; reason: string }> {
    return (
      this.db
        .prepare(
          `SELECT o.ref_id, o.last_error FROM outbox o
            WHERE o.kind = 'resolution' AND o.failed = 1 AND substr(o.last_error, 1, ?) = ?
              AND NOT EXISTS (SELECT 1 FROM decision_refusals x WHERE x.decision_id = o.ref_id)
            ORDER BY o.seq`,
        )
        .all(REFUSED_DECISION.length, REFUSED_DECISION) as Array<{ ref_id: string; last_error: string }>
    ).map((r) => ({ decisionId: r.ref_id, reason: r.last_error.slice(REFUSED_DECISION.length) }));
  }

  /** Marks a row refused with the server's words (or why it cannot be sent), audited; call inside a transaction or alone. */
  markFailed(row: OutboxRow, reason: string, now: Date): void {
    this.db.transaction(() => {
      this.s.markFailed.run(reason, row.seq);
      if (row.kind === 'audit_head' && this.lastHead?.seq === row.seq) this.lastHead.sent = true;
      this.audit.append('sync.failed', null, { kind: row.kind, seq: row.seq, refId: row.ref_id, reason }, now);
    }).immediate();
  }

  /**
   * Queues the audit chain's head for POST /v1/audit-heads unless that head was already queued.
   * At most one head waits: an unsent one is replaced by the newer head.
   */
  queueAuditHead(head: { seq: number; hash: string }, now: Date): boolean {
    // receiptSeq: the highest workstationSeq made by then, so the server can name a lost tail
    const receiptSeq = (this.s.lastReceiptSeq.get()?.n ?? 0);
    const payload = JSON.stringify({ seq: head.seq, hash: head.hash, receiptSeq });
    const last = this.lastHead;
    if (last && last.payload === payload) return !last.sent;
    if (last && !last.sent) {
      this.s.updateAuditHead.run(String(head.seq), payload, last.seq);
      last.payload = payload;
    } else {
      const seq = Number(this.s.insertAuditHead.run(String(head.seq), payload, now.toISOString()).lastInsertRowid);
      this.lastHead = { seq, payload, sent: false };
    }
    return true;
  }

  /** the queued audit head, if one waits */
  pendingAuditHead(): { seq: number; payload: string } | null {
    return this.lastHead && !this.lastHead.sent ? { seq: this.lastHead.seq, payload: this.lastHead.payload } : null;
  }

}

