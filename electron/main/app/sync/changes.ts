// Applying the server's changes feed (GET /v1/changes) to the workstation:
//  - flag_raised on one of our receipts: the server's verdict and flag, if not known yet
//    (a push whose answer was lost is answered here too);
//  - flag_raised on a receipt elsewhere: remembered in remote_receipts, so the desk flags a
//    later scan of that envelope itself, even offline;
//  - flag_resolved: a decision made elsewhere on one of our flags is appended (made_here = 0);
//    our own decisions come back too and are recognised by their id; either way the server's
//    commit order (seq) is kept, which orders a flag's decisions here (ledger/current-decision.ts);
//  - register: upserted into the active register copy (unless the first fill already has it).
// Each chunk of events is one transaction that also moves changes_cursor.
import type { ChangeEvent } from '../../../../shared/protocol/central-api';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import type { RegisterStore } from '../register/store';

type FlagRaised = Extract<ChangeEvent, { type: 'flag_raised' }>;
type FlagResolved = Extract<ChangeEvent, { type: 'flag_resolved' }>;

export interface ChangesTally {
  newFlags: number;
  decisions: number;
  remoteReceipts: number;
  registerEntries: number;
}

export class ChangesApplier {
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly registerStore: RegisterStore,
  ) {
    this.s = {
      cursor: db.prepare<[], { changes_cursor: string | null; server_cursor: string | null }>(
        'SELECT changes_cursor, server_cursor FROM register_state WHERE id = 1',
      ),
      setCursor: db.prepare<[string]>('UPDATE register_state SET changes_cursor = ? WHERE id = 1'),
      receipt: db.prepare<[string], { id: string; member_ref: string | null }>('SELECT id, member_ref FROM receipts WHERE id = ?'),
      flagOf: db.prepare<[string], { id: string }>('SELECT id FROM flags WHERE receipt_id = ?'),
      verdictOf: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM server_verdicts WHERE receipt_id = ?'),
      insertVerdict: db.prepare(
        `INSERT INTO server_verdicts (receipt_id, outcome, kind, server_flag_id, related_receipt_ids, detail, received_at, recorded_at)
         VALUES (@receiptId, 'flagged', @kind, @flagId, @related, @detail, @raisedAt, @recordedAt)`,
      ),
      insertServerFlag: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at, related_receipt_ids) VALUES (?, ?, ?, 'server', ?, ?)`,
      ),
      insertRemote: db.prepare(
        `INSERT OR IGNORE INTO remote_receipts (receipt_id, barcode, member_ref, received_at, centre_name, workstation_name)
         VALUES (@receiptId, @barcode, @memberRef, @receivedAt, @centre, NULL)`,
      ),
      localFlagOfServerFlag: db.prepare<[string], { id: string; receipt_id: string }>(
        `SELECT f.id, f.receipt_id FROM flags f JOIN server_verdicts sv ON sv.receipt_id = f.receipt_id WHERE sv.server_flag_id = ?`,
      ),
      decisionExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM decisions WHERE id = ?'),
      serverOrder: db.prepare<[string, number | null]>('INSERT OR IGNORE INTO decision_server_order (decision_id, server_seq) VALUES (?, ?)'),
      insertDecision: db.prepare(
        `INSERT OR IGNORE INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at, made_here)
         VALUES (@id, @flagId, @decision, @note, NULL, @supervisorName, @decidedAt, 0)`,
      ),
    };
  }

  /**
   * After a first register fill: the changes feed starts where the register copy ends, unless
   * it already has a position. Reading it from the beginning would bring every register event
   * again (the feeds share one id space), which the server serves slowly for a big register;
   * what is skipped is the centre's flags from before this workstation loaded the register,
   * which are about other workstations' receipts (the server still flags any duplicate of them).
   */
  startAfterFill(registerCursor: string): void {
    this.db.prepare('UPDATE register_state SET changes_cursor = ? WHERE id = 1 AND changes_cursor IS NULL').run(registerCursor);
  }

  cursors(): { changes: string | null; register: string | null } {
    const r = this.s.cursor.get()!;
    return { changes: r.changes_cursor, register: r.server_cursor };
  }

  /** Applies one chunk of events (in feed order) and moves the cursor past them, atomically. */
  apply(events: ChangeEvent[], memberRefOf: (barcode: string) => string | null, now: Date): ChangesTally {
    const tally: ChangesTally = { newFlags: 0, decisions: 0, remoteReceipts: 0, registerEntries: 0 };
    if (events.length === 0) return tally;
    this.db.transaction(() => {
      const registerCursor = this.s.cursor.get()!.server_cursor;
      const after = registerCursor === null ? null : BigInt(registerCursor);
      const register = events.filter((e): e is Extract<ChangeEvent, { type: 'register' }> => e.type === 'register' && (after === null || BigInt(e.eventId) > after));
      if (register.length > 0) {
        this.registerStore.applyRegisterChanges(register.map((e) => e.entry), register[register.length - 1]!.eventId);
        tally.registerEntries += register.length;
      }
      for (const e of events) {
        if (e.type === 'flag_raised') this.flagRaised(e, memberRefOf, now, tally);
        else if (e.type === 'flag_resolved') this.flagResolved(e, now, tally);
      }
      this.s.setCursor.run(events[events.length - 1]!.eventId);
      if (tally.newFlags + tally.decisions + tally.remoteReceipts + tally.registerEntries > 0) {
        this.audit.append('sync.pulled', null, { ...tally, through: events[events.length - 1]!.eventId }, now);
      }
    }).immediate();
    return tally;
  }

  private flagRaised(e: FlagRaised, memberRefOf: (barcode: string) => string | null, now: Date, tally: ChangesTally): void {
    const f = e.flag;
    const receiptId = f.receiptId.toLowerCase();
    const local = this.s.receipt.get(receiptId);
    if (!local) {
      const r = this.s.insertRemote.run({
        receiptId,
        barcode: f.barcode,
        memberRef: memberRefOf(f.barcode),
        receivedAt: f.raisedAt,
        centre: f.centreId,
      });
      tally.remoteReceipts += r.changes;
      return;
    }
    if (!this.s.verdictOf.get(receiptId)) {
      this.s.insertVerdict.run({
        receiptId,
        kind: f.kind,
        flagId: f.flagId,
        related: JSON.stringify(f.relatedReceiptIds),
        detail: f.detail,
        raisedAt: f.raisedAt,
        recordedAt: now.toISOString(),
      });
    }
    if (!this.s.flagOf.get(receiptId)) {
      this.s.insertServerFlag.run(f.flagId, receiptId, f.kind, now.toISOString(), JSON.stringify(f.relatedReceiptIds));
      this.audit.append('flag.raised', null, { flagId: f.flagId, receiptId, kind: f.kind, raisedBy: 'server' }, now);
      tally.newFlags++;
    }
  }

  private flagResolved(e: FlagResolved, now: Date, tally: ChangesTally): void {
    const r = e.resolution;
    const local = this.s.localFlagOfServerFlag.get(r.flagId.toLowerCase());
    if (!local) return; // a flag on another workstation's receipt
    const decisionId = r.resolutionId.toLowerCase();
    const supervisorName = `${r.supervisorId} (centre ${r.centreId})`;
    const inserted = this.s.insertDecision.run({
      id: decisionId,
      flagId: local.id,
      decision: r.decision,
      note: r.note,
      supervisorName,
      decidedAt: r.decidedAt,
    });
    // our own decision coming back, or one already known: its order may be new (a row once)
    const known = inserted.changes === 0 && this.s.decisionExists.get(decisionId) !== undefined;
    if (inserted.changes > 0 || known) this.s.serverOrder.run(decisionId, r.seq ?? null);
    if (inserted.changes === 0) return;
    // Every decision has its audit entry, wherever it was made: verifyAudit checks that.
    this.audit.append(
      'flag.decided',
      null,
      {
        decisionId,
        flagId: local.id,
        receiptId: local.receipt_id,
        decision: r.decision,
        note: r.note,
        supervisorId: null,
        supervisorName,
        madeHere: false,
        ...(r.seq !== undefined ? { serverSeq: r.seq } : {}),
      },
      now,
    );
    tally.decisions += 1;
  }
}
