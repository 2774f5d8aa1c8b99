// The supervisor's review of flags: the list (filtered, paged; fast with 100,000 flags), one
// flag with everything known about its member, and decisions. Decisions are appended, never
// changed; a flag's state is derived from its latest decision (none: open; escalate:
// escalated; anything else: decided). Each decision is one transaction with its outbox row
// (for POST /v1/flags/{flagId}/resolution) and its audit entry.
import { randomUUID } from 'node:crypto';
import type { FlagDetail, FlagRow, FlagState, Verdict } from '../../../../shared/api/types';
import { formatBarcode } from '../../../../shared/barcode/barcode';
import type { Decision, FlagKind } from '../../../../shared/domain';
import { err, ok, type Result } from '../../../../shared/result';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import type { RegisterEntry, RegisterLookup } from '../register/lookup';
import { currentDecisionOf, hasNoDecision, STANDING_REFUSAL_JOIN } from './current-decision';
import { envelopeLocationWords, TrayPlaces } from './places';
import { allowedDecisions, judgeDecision, type DecisionFacts } from './decision-rules';

const ACCEPTED: Verdict = { outcome: 'accepted', kind: null, error: null };

/** The current decision of a flag: the latest one the server did not refuse. */
const LATEST_DECISION = currentDecisionOf('f');

/** Whether a receipt `r` counts now: accepted and never flagged, or flagged and decided `count`. */
const RECEIPT_COUNTS = `
  CASE WHEN EXISTS (SELECT 1 FROM flags f WHERE f.receipt_id = r.id)
       THEN (SELECT ${LATEST_DECISION} FROM flags f WHERE f.receipt_id = r.id) = 'count'
       ELSE r.desk_outcome = 'accepted'
            AND COALESCE((SELECT sv.outcome FROM server_verdicts sv WHERE sv.receipt_id = r.id), 'accepted') = 'accepted'
  END`;

interface FlagJoinRow {
  flag_id: string;
  kind: FlagKind;
  raised_by: 'desk' | 'server';
  related_receipt_ids: string;
  receipt_id: string;
  barcode: string;
  ballot_number: number;
  issue: number;
  member_ref: string | null;
  scanned_at: string;
  operator_id: string;
  operator_name: string | null;
  batch_label: string | null;
  position: number;
  desk_outcome: string;
  sv_outcome: string | null;
  sv_kind: string | null;
  sv_error: string | null;
  sv_related: string | null;
  sv_detail: string | null;
  latest: Decision | null;
}

const SELECT_FLAGS = `
  SELECT f.id AS flag_id, f.kind, f.raised_by, f.related_receipt_ids,
         r.id AS receipt_id, r.barcode, r.ballot_number, r.issue, r.member_ref, r.scanned_at,
         r.operator_id, p.name AS operator_name, b.label AS batch_label, r.position, r.desk_outcome,
         sv.outcome AS sv_outcome, sv.kind AS sv_kind, sv.error AS sv_error, sv.related_receipt_ids AS sv_related, sv.detail AS sv_detail,
         ${LATEST_DECISION} AS latest
    FROM flags f
    -- CROSS JOIN keeps flags the outer loop, so a page walks flags newest first and stops at LIMIT
    CROSS JOIN receipts r ON r.id = f.receipt_id
    LEFT JOIN people p ON p.id = r.operator_id
    LEFT JOIN batches b ON b.id = r.batch_id
    LEFT JOIN server_verdicts sv ON sv.receipt_id = f.receipt_id`;

export function flagState(latest: Decision | null): FlagState {
  return latest === null ? 'open' : latest === 'escalate' ? 'escalated' : 'decided';
}

const STATE_CONDITION: Record<FlagState, string> = {
  // no current decision: none at all (one probe of the covering decisions index), or only refused ones
  open: hasNoDecision('f'),
  escalated: `${LATEST_DECISION} = 'escalate'`,
  decided: `${LATEST_DECISION} NOT IN ('escalate')`,
};

export interface FlagFilter {
  kind?: FlagKind | undefined;
  state?: FlagState | undefined;
  batchId?: string | undefined;
  offset: number;
  limit: number;
}

/**
 * When the member voted online, from their packs in the register copy. A member has one online
 * code, so every pack carries the same time; the latest is taken in case two events disagree.
 * Null when no pack knows one (no online vote, or a register file, which never says when).
 */
export function onlineVoteTime(packs: readonly RegisterEntry[]): string | null {
  let latest: string | null = null;
  for (const p of packs) {
    if (!p.onlineVoted || !p.onlineVotedAt) continue;
    if (latest === null || Date.parse(p.onlineVotedAt) > Date.parse(latest)) latest = p.onlineVotedAt;
  }
  return latest;
}

export type DecideError = { code: 'not_found' | 'forbidden' | 'conflict'; message: string };

export class FlagReview {
  private readonly places: TrayPlaces;
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly register: RegisterLookup,
    private readonly workstationName: () => string,
  ) {
    this.places = new TrayPlaces(db);
  }

  private toRow(r: FlagJoinRow): FlagRow {
    return {
      flagId: r.flag_id,
      kind: r.kind,
      receiptId: r.receipt_id,
      display: formatBarcode(r.barcode),
      ballotNumber: r.ballot_number,
      issue: r.issue,
      memberRef: r.member_ref,
      scannedAt: r.scanned_at,
      workstationName: this.workstationName(),
      operatorName: r.operator_name ?? r.operator_id,
      batchLabel: r.batch_label ?? '',
      position: r.position,
      location: envelopeLocationWords(this.places, r.receipt_id),
      deskVerdict: r.desk_outcome === 'flagged' && r.raised_by === 'desk' ? { outcome: 'flagged', kind: r.kind, error: null } : ACCEPTED,
      serverVerdict:
        r.sv_outcome === null
          ? null
          : r.sv_outcome === 'flagged'
            ? { outcome: 'flagged', kind: (r.sv_kind ?? r.kind) as FlagKind, error: null }
            : r.sv_outcome === 'rejected'
              ? { outcome: 'rejected', kind: null, error: r.sv_error ?? null }
              : ACCEPTED,
      state: flagState(r.latest),
      decision: r.latest,
    };
  }

  list(filter: FlagFilter): { total: number; rows: FlagRow[] } {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: filter.limit, offset: filter.offset };
    if (filter.kind) {
      where.push('f.kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.batchId) {
      where.push('EXISTS (SELECT 1 FROM receipts rb WHERE rb.id = f.receipt_id AND rb.batch_id = @batchId)');
      params.batchId = filter.batchId;
    }
    if (filter.state) where.push(STATE_CONDITION[filter.state]);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT count(*) AS n FROM flags f ${clause}`).get(params) as { n: number }).n;
    // Newest first; the renderer pages with offset/limit.
    const rows = this.db
      .prepare(`${SELECT_FLAGS} ${clause} ORDER BY f.rowid DESC LIMIT @limit OFFSET @offset`)
      .all(params) as FlagJoinRow[];
    return { total, rows: rows.map((r) => this.toRow(r)) };
  }

  private joinRow(flagId: string): FlagJoinRow | undefined {
    return this.db.prepare(`${SELECT_FLAGS} WHERE f.id = ?`).get(flagId) as FlagJoinRow | undefined;
  }

  /** The receipt of the same member (or, without a register entry, the same barcode) that counts now. */
  private otherCountedReceipt(r: FlagJoinRow): { display: string } | null {
    const other = this.db
      .prepare(
        `SELECT r.barcode FROM receipts r
          WHERE r.id <> @id AND (CASE WHEN @member IS NULL THEN r.barcode = @barcode ELSE r.member_ref = @member END)
            AND ${RECEIPT_COUNTS}
          LIMIT 1`,
      )
      .get({ id: r.receipt_id, member: r.member_ref, barcode: r.barcode }) as { barcode: string } | undefined;
    return other ? { display: formatBarcode(other.barcode) } : null;
  }

  private facts(r: FlagJoinRow, deciderId: string): DecisionFacts {
    return { kind: r.kind, scannedByDecider: r.operator_id === deciderId, otherCountedReceipt: this.otherCountedReceipt(r) };
  }

  get(flagId: string, deciderId: string): Result<FlagDetail, { code: 'not_found'; message: string }> {
    const r = this.joinRow(flagId);
    if (!r) return err({ code: 'not_found', message: 'No such flag.' });
    const related = new Set<string>(JSON.parse(r.related_receipt_ids) as string[]);
    if (r.sv_related) for (const id of JSON.parse(r.sv_related) as string[]) related.add(id);

    const sameMember = r.member_ref === null ? 'barcode = @barcode' : 'member_ref = @member';
    const local = this.db
      .prepare(
        `SELECT r.id, r.barcode, r.scanned_at, b.label, r.position, r.desk_outcome, f.kind,
                ${LATEST_DECISION} AS latest
           FROM receipts r LEFT JOIN batches b ON b.id = r.batch_id LEFT JOIN flags f ON f.receipt_id = r.id
          WHERE r.${sameMember} ORDER BY r.seq`,
      )
      .all({ member: r.member_ref, barcode: r.barcode }) as Array<{
      id: string;
      barcode: string;
      scanned_at: string;
      label: string | null;
      position: number;
      desk_outcome: string;
      kind: FlagKind | null;
      latest: Decision | null;
    }>;
    const remote = this.db
      .prepare(`SELECT receipt_id, barcode, received_at, centre_name, workstation_name FROM remote_receipts WHERE ${sameMember} ORDER BY received_at`)
      .all({ member: r.member_ref, barcode: r.barcode }) as Array<{
      receipt_id: string;
      barcode: string;
      received_at: string;
      centre_name: string | null;
      workstation_name: string | null;
    }>;
    const here = this.workstationName();
    const memberReceipts: FlagDetail['memberReceipts'] = [
      ...local.map((m) => ({
        receiptId: m.id,
        display: formatBarcode(m.barcode),
        scannedAt: m.scanned_at,
        workstationName: here,
        batchLabel: m.label,
        position: m.position,
        outcome: m.kind ? `flagged: ${m.kind}${m.latest ? ` (${m.latest})` : ''}` : 'accepted',
      })),
      ...remote.map((m) => ({
        receiptId: m.receipt_id,
        display: formatBarcode(m.barcode),
        scannedAt: m.received_at,
        workstationName: [m.centre_name, m.workstation_name].filter(Boolean).join(' / ') || 'elsewhere',
        batchLabel: null,
        position: null,
        outcome: 'received elsewhere',
      })),
    ];
    const packs = r.member_ref ? this.register.memberPacks(r.member_ref) : [];
    const decisions = this.db
      .prepare(
        `SELECT d.decision, d.note, d.supervisor_name, d.decided_at, x.reason AS refused
           FROM decisions d ${STANDING_REFUSAL_JOIN}
          WHERE d.flag_id = ? ORDER BY d.decided_at, d.rowid`,
      )
      .all(flagId) as Array<{ decision: Decision; note: string; supervisor_name: string; decided_at: string; refused: string | null }>;
    return ok({
      flag: this.toRow(r),
      relatedReceiptIds: [...related],
      serverDetail: r.sv_detail,
      memberReceipts,
      registerEntries: packs.map((p) => ({ ballotNumber: p.ballotNumber, issue: p.issue, status: p.status, onlineVoted: p.onlineVoted })),
      onlineVotedAt: onlineVoteTime(packs),
      decisions: decisions.map((d) => ({ decision: d.decision, note: d.note, supervisorName: d.supervisor_name, decidedAt: d.decided_at, refusedByServer: d.refused })),
      allowed: allowedDecisions(this.facts(r, deciderId)),
    });
  }

  /** Records one decision on one flag, or says why it may not be taken. */
  decide(
    flagId: string,
    decision: Decision,
    note: string,
    supervisor: { personId: string; name: string },
    now: Date,
  ): Result<{ decisionId: string }, DecideError> {
    const decisionId = randomUUID();
    const decidedAt = now.toISOString();
    // The rules are checked inside the transaction that records the decision, so two
    // decisions cannot both count the same member.
    return this.db.transaction((): Result<{ decisionId: string }, DecideError> => {
      const r = this.joinRow(flagId);
      if (!r) return err({ code: 'not_found', message: 'No such flag.' });
      const verdict = judgeDecision(decision, this.facts(r, supervisor.personId));
      if (!verdict.allowed) return err({ code: r.operator_id === supervisor.personId ? 'forbidden' : 'conflict', message: verdict.reason });
      this.db
        .prepare(
          `INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here)
           VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
        )
        .run(decisionId, flagId, decision, note, supervisor.personId, supervisor.name, decidedAt);
      const serverFlagId = (this.db.prepare('SELECT server_flag_id FROM server_verdicts WHERE receipt_id = ?').get(r.receipt_id) as
        | { server_flag_id: string | null }
        | undefined)?.server_flag_id ?? null;
      // contracts.md §3 resolution body, plus what the sync engine needs to address it.
      const payload = { resolutionId: decisionId, decision, note, supervisorId: supervisor.personId, decidedAt, flagId, receiptId: r.receipt_id, serverFlagId };
      this.db
        .prepare(`INSERT INTO outbox (kind, ref_id, payload, created_at) VALUES ('resolution', ?, ?, ?)`)
        .run(decisionId, JSON.stringify(payload), decidedAt);
      this.audit.append(
        'flag.decided',
        supervisor.personId,
        { decisionId, flagId, receiptId: r.receipt_id, decision, note, supervisorId: supervisor.personId },
        now,
      );
      return ok({ decisionId });
    }).immediate();
  }
}
