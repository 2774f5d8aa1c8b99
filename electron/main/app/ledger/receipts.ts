// Recording one scan: the desk's whole judgement and one transaction that writes the
// receipt, its flag, its outbox row and its audit entries. The verdict is returned only
// after that transaction has committed (synchronous=FULL), so an acknowledged scan is durable.
import { scanDetail } from '../audit/scan-detail';
import { randomUUID } from 'node:crypto';
import { formatBarcode, normaliseBarcodeInput, parseBarcode, rejectionWords } from '../../../../shared/barcode/barcode';
import type { ScanVerdict } from '../../../../shared/api/types';
import type { ReceiptIn } from '../../../../shared/protocol/central-api';
import { FLAG_INSTRUCTIONS, type ScanSource } from '../../../../shared/domain';
import { FLAG_POCKETS, type Place } from '../../../../shared/places';
import type { AuditLog } from '../audit/log';
import type { Db } from '../db/open';
import type { RegisterLookup } from '../register/lookup';
import type { Batches } from './batches';
import { judgeEnvelope } from './judge';

export interface ScanContext {
  operatorId: string;
  now: Date;
  electionNumber: number | null;
  closesAt: Date | null;
  repeatWindowMs: number;
}

export interface ScanInput {
  raw: string;
  source: ScanSource;
  manualReason?: string;
  /** a manual entry: the supervisor (not the operator) whose PIN confirmed it, checked by the caller */
  confirmedBy?: string;
}

// What is kept of a rejected read in the audit log: enough to see what the scanner sent,
// never unbounded, and with control characters made visible.
function auditableRead(raw: string): string {
  const cut = raw.length > 64 ? `${raw.slice(0, 64)}…(${raw.length} characters)` : raw;
  return cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export class Receipts {
  /** the last read of each envelope within the repeat window, oldest first (see noteRead) */
  private readonly lastReadMs = new Map<string, number>();
  private readonly stmts;

  /**
   * Remembers a read; forgets reads too old to extend any repeat window, so a day of a
   * million envelopes does not keep a million entries. Re-inserting keeps the map in read
   * order, so the stale ones are always at the front.
   */
  private noteRead(barcode: string, nowMs: number, windowMs: number): void {
    this.lastReadMs.delete(barcode);
    this.lastReadMs.set(barcode, nowMs);
    for (const [b, t] of this.lastReadMs) {
      if (nowMs - t <= windowMs) break;
      this.lastReadMs.delete(b);
    }
  }

  /** How many recent reads are remembered for the repeat window (for tests and diagnostics). */
  readsRemembered(): number {
    return this.lastReadMs.size;
  }

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly register: RegisterLookup,
    private readonly batches: Batches,
  ) {
    this.stmts = {
      lastOfBarcode: db.prepare<[string], { id: string; scanned_at: string }>(
        'SELECT id, scanned_at FROM receipts WHERE barcode = ? ORDER BY seq DESC LIMIT 1',
      ),
      countBarcode: db.prepare<[string, string], { n: number }>(
        `SELECT (SELECT count(*) FROM receipts WHERE barcode = ?)
              + (SELECT count(*) FROM remote_receipts WHERE barcode = ?) AS n`,
      ),
      countMemberOther: db.prepare<[string, string, string, string], { n: number }>(
        `SELECT (SELECT count(*) FROM receipts WHERE member_ref = ? AND barcode <> ?)
              + (SELECT count(*) FROM remote_receipts WHERE member_ref = ? AND barcode <> ?) AS n`,
      ),
      nextSeq: db.prepare<[], { n: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM receipts'),
      nextPosition: db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(position), 0) + 1 AS n FROM receipts WHERE batch_id = ?'),
      insertReceipt: db.prepare(
        `INSERT INTO receipts (id, seq, barcode, election_number, ballot_number, issue, member_ref, scanned_at,
           operator_id, batch_id, position, source, manual_reason, desk_outcome, confirmed_by)
         VALUES (@id, @seq, @barcode, @electionNumber, @ballotNumber, @issue, @memberRef, @scannedAt,
           @operatorId, @batchId, @position, @source, @manualReason, @deskOutcome, @confirmedBy)`,
      ),
      insertFlag: db.prepare(
        `INSERT INTO flags (id, receipt_id, kind, raised_by, raised_at, related_receipt_ids) VALUES (?, ?, ?, 'desk', ?, ?)`,
      ),
      relatedByBarcode: db.prepare<[string], { id: string }>('SELECT id FROM receipts WHERE barcode = ? ORDER BY seq'),
      insertOutbox: db.prepare(`INSERT INTO outbox (kind, ref_id, payload, created_at) VALUES ('receipt', ?, ?, ?)`),
    };
  }

  /** `words`: what the operator reads, when it says more than the audited reason (rejectionWords). */
  private reject(input: ScanInput, reason: string, display: string | null, ctx: ScanContext, words = reason): ScanVerdict {
    this.audit.append(
      'scan.rejected',
      ctx.operatorId,
      { read: auditableRead(input.raw), reason, source: input.source, ...(display ? { display } : {}) },
      ctx.now,
    );
    return { verdict: 'rejected', reason: words, display };
  }

  record(input: ScanInput, ctx: ScanContext): ScanVerdict {
    // A typed envelope deactivates an online code like a scanned one: never without a second
    // person (issue 15 item 3). The handler checks the supervisor's PIN; this refuses the rest.
    if (input.source === 'manual' && (!input.confirmedBy || input.confirmedBy === ctx.operatorId)) {
      throw new Error('a manual entry needs the confirmation of a supervisor other than the operator');
    }
    if (input.source !== 'manual' && input.confirmedBy !== undefined) throw new Error('only a manual entry is confirmed');
    const parsed = parseBarcode(input.raw, ctx.electionNumber ?? undefined);
    if (!parsed.ok) {
      const normalised = normaliseBarcodeInput(input.raw);
      const display = /^[0-9]{16}$/.test(normalised) && parsed.error.startsWith('election') ? formatBarcode(normalised) : null;
      return this.reject(input, parsed.error, display, ctx, rejectionWords(parsed.error, input.raw, input.source));
    }
    const envelope = parsed.value;
    const display = formatBarcode(envelope.barcode);
    const batch = this.batches.openBatch();
    if (!batch) return this.reject(input, 'no tray is open — open a batch first', display, ctx);

    const nowMs = ctx.now.getTime();
    const last = this.stmts.lastOfBarcode.get(envelope.barcode);
    if (last) {
      const lastRead = Math.max(Date.parse(last.scanned_at), this.lastReadMs.get(envelope.barcode) ?? 0);
      if (nowMs - lastRead <= ctx.repeatWindowMs) {
        this.noteRead(envelope.barcode, nowMs, ctx.repeatWindowMs);
        this.audit.append('scan.repeat', ctx.operatorId, { receiptId: last.id, display, source: input.source }, ctx.now);
        return { verdict: 'already_recorded', receiptId: last.id, barcode: envelope.barcode, display };
      }
    }

    const hasRegister = this.register.rows() > 0;
    const pack = hasRegister ? this.register.pack(envelope.ballotNumber, envelope.issue) : null;
    const memberRef = pack?.memberRef ?? null;
    const kind = judgeEnvelope({
      register: hasRegister ? { pack, memberPacks: memberRef ? this.register.memberPacks(memberRef) : [] } : null,
      sameBarcodeReceipts: this.stmts.countBarcode.get(envelope.barcode, envelope.barcode)!.n,
      sameMemberOtherReceipts: memberRef
        ? this.stmts.countMemberOther.get(memberRef, envelope.barcode, memberRef, envelope.barcode)!.n
        : 0,
      scannedAt: ctx.now,
      closesAt: ctx.closesAt,
      issue: envelope.issue,
    });

    const receiptId = randomUUID();
    const flagId = kind ? randomUUID() : null;
    const scannedAt = ctx.now.toISOString();
    // Where the envelope goes: a flagged one to the pocket its instruction names, the rest stay
    // in the tray; the position told is its position in that place (ledger/places.ts).
    const place: Place = kind ? FLAG_POCKETS[kind] : 'tray';
    let position = 0;
    this.db.transaction(() => {
      const seq = this.stmts.nextSeq.get()!.n;
      const receiptPosition = this.stmts.nextPosition.get(batch.id)!.n;
      this.stmts.insertReceipt.run({
        id: receiptId,
        seq,
        barcode: envelope.barcode,
        electionNumber: envelope.electionNumber,
        ballotNumber: envelope.ballotNumber,
        issue: envelope.issue,
        memberRef,
        scannedAt,
        operatorId: ctx.operatorId,
        batchId: batch.id,
        position: receiptPosition,
        source: input.source,
        manualReason: input.manualReason ?? null,
        deskOutcome: kind ? 'flagged' : 'accepted',
        confirmedBy: input.confirmedBy ?? null,
      });
      // as the central server takes it (the protocol's zod type); deskFlag is added at send time
      const receiptIn: Omit<ReceiptIn, 'deskFlag'> = {
        receiptId,
        barcode: envelope.barcode,
        scannedAt,
        workstationSeq: seq,
        operatorId: ctx.operatorId,
        batchId: batch.id,
        source: input.source,
        ...(input.confirmedBy ? { confirmedBy: input.confirmedBy } : {}),
      };
      position = this.batches.places.put(batch.id, receiptId, envelope.barcode, seq, place);
      this.stmts.insertOutbox.run(receiptId, JSON.stringify(receiptIn), scannedAt);
      this.audit.append(
        'scan.recorded',
        ctx.operatorId,
        scanDetail({
          receiptId,
          seq,
          barcode: envelope.barcode,
          batchId: batch.id,
          position: receiptPosition,
          source: input.source,
          memberRef,
          outcome: kind ? 'flagged' : 'accepted',
          manualReason: input.manualReason ?? null,
          confirmedBy: input.confirmedBy ?? null,
        }),
        ctx.now,
      );
      if (kind && flagId) {
        const related = kind === 'duplicate_scan'
          ? this.stmts.relatedByBarcode.all(envelope.barcode).map((r) => r.id).filter((id) => id !== receiptId)
          : [];
        this.stmts.insertFlag.run(flagId, receiptId, kind, scannedAt, JSON.stringify(related));
        this.audit.append('flag.raised', ctx.operatorId, { flagId, receiptId, kind, raisedBy: 'desk', related }, ctx.now);
      }
    }).immediate();
    this.noteRead(envelope.barcode, nowMs, ctx.repeatWindowMs);

    if (kind && flagId) {
      return {
        verdict: 'flagged',
        kind,
        instruction: FLAG_INSTRUCTIONS[kind],
        receiptId,
        flagId,
        barcode: envelope.barcode,
        display,
        batchLabel: batch.label,
        position,
        place,
      };
    }
    return { verdict: 'recorded', receiptId, barcode: envelope.barcode, display, batchLabel: batch.label, position, place };
  }
}
