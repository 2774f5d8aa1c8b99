// What the sync engine records from the central server: flags raised there on receipts the
// desk had accepted, and decisions taken elsewhere (another workstation, the server). Each
// comes with its audit entry, as everything the desk records does: verifyAudit requires one
// for every flag and decision. Both are idempotent, since the changes feed may repeat itself.
import { randomUUID } from 'node:crypto';
import type { Decision, FlagKind } from '../../../../shared/domain';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';

export interface ServerFlagIn {
  receiptId: string;
  kind: FlagKind;
  relatedReceiptIds: string[];
  /** when the server raised it (its receivedAt), ISO 8601 */
  raisedAt: string;
}

export interface RemoteDecisionIn {
  /** the server's resolutionId: the same id everywhere */
  decisionId: string;
  flagId: string;
  decision: Decision;
  note: string;
  supervisorName: string;
  decidedAt: string;
}

export class ServerFlags {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  /** Raises the server's flag on a local receipt; the existing flag id if it already has one (a receipt carries at most one). */
  raise(input: ServerFlagIn, now: Date): { flagId: string; created: boolean } {
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id FROM flags WHERE receipt_id = ?').get(input.receiptId) as { id: string } | undefined;
      if (existing) return { flagId: existing.id, created: false };
      const flagId = randomUUID();
      this.db
        .prepare(`INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at, related_receipt_ids) VALUES (?, ?, ?, 'server', ?, ?)`)
        .run(flagId, input.receiptId, input.kind, input.raisedAt, JSON.stringify(input.relatedReceiptIds));
      this.audit.append('flag.raised', null, { flagId, receiptId: input.receiptId, kind: input.kind, raisedBy: 'server', related: input.relatedReceiptIds }, now);
      return { flagId, created: true };
    }).immediate();
  }

  /** Records a decision taken elsewhere; false when it is already known here. */
  recordDecision(input: RemoteDecisionIn, now: Date): boolean {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM decisions WHERE id = ?').get(input.decisionId)) return false;
      const flag = this.db.prepare('SELECT receipt_id FROM flags WHERE id = ?').get(input.flagId) as { receipt_id: string } | undefined;
      if (!flag) throw new Error(`a decision for flag ${input.flagId}, which is not known here`);
      this.db
        .prepare(
          `INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here)
           VALUES (?, ?, ?, ?, NULL, ?, ?, 0)`,
        )
        .run(input.decisionId, input.flagId, input.decision, input.note, input.supervisorName, input.decidedAt);
      this.audit.append(
        'flag.decided',
        null,
        { decisionId: input.decisionId, flagId: input.flagId, receiptId: flag.receipt_id, decision: input.decision, note: input.note, supervisorId: null, supervisorName: input.supervisorName, madeHere: false },
        now,
      );
      return true;
    }).immediate();
  }

  /**
   * Records that the server refused a decision made here (contracts.md §3: 409 or 403 on the
   * resolution). The decision stays; it stops being the flag's current decision, so the flag
   * is open again for a supervisor to decide with what the server said. False when already known.
   */
  recordRefusal(decisionId: string, reason: string, now: Date): boolean {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM decision_refusals WHERE decision_id = ?').get(decisionId)) return false;
      const d = this.db.prepare('SELECT flag_id, decision FROM decisions WHERE id = ?').get(decisionId) as { flag_id: string; decision: Decision } | undefined;
      if (!d) return false;
      this.db.prepare('INSERT INTO decision_refusals (decision_id, reason, refused_at) VALUES (?, ?, ?)').run(decisionId, reason, now.toISOString());
      this.audit.append('flag.decision_refused', null, { decisionId, flagId: d.flag_id, decision: d.decision, reason }, now);
      return true;
    }).immediate();
  }
}
