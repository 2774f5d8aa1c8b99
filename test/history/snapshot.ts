// What the database holds at the end of a run, read once with `pg` (the checker's second source
// beside the answers): receipts, flags, resolutions (in the server's own order of decisions),
// members and ballot packs of the run's election, restricted to one namespace.
import pg from 'pg';
import { encodeBarcode } from '../../shared/barcode/barcode';
import { parseBarcodeOf, type Names } from './names';

export interface DbReceipt {
  receiptId: string;
  barcode: string;
  memberId: number | null;
  centreId: string;
  deviceId: string;
  workstationSeq: number;
  outcome: string;
  flagId: string | null;
}
export interface DbFlag {
  flagId: string;
  receiptId: string;
  kind: string;
  related: string[];
}
export interface DbResolution {
  resolutionId: string;
  flagId: string;
  decision: string;
  recordedAt: Date;
  seq: number | null;
}
export interface DbMember {
  memberId: number;
  ref: string;
  codeState: 'active' | 'deactivated' | 'redeemed';
  countedReceiptId: string | null;
  redeemedAt: Date | null;
  hasCode: boolean;
}

export interface Snapshot {
  /** resolutions.seq exists: the server orders decisions by a sequence (else by recorded_at) */
  hasSeq: boolean;
  receipts: Map<string, DbReceipt>;
  flags: Map<string, DbFlag>;
  resolutions: Map<string, DbResolution>;
  /** each flag's resolutions in the server's order; the last is its current decision */
  decisionsOfFlag: Map<string, DbResolution[]>;
  members: Map<number, DbMember>;
  memberByRef: Map<string, DbMember>;
  /** barcode of every pack on the register → its member */
  memberOfBarcode: Map<string, number>;
}

const refPattern = /^M-(\d+)(?:-t(\d+))?$/;

export function inNamespace(ns: Names, ref: string): boolean {
  const m = refPattern.exec(ref);
  return m !== null && Number(m[2] ?? 0) === ns.trial;
}

export function memberIndexOfRef(ref: string): number | null {
  const m = refPattern.exec(ref);
  return m ? Number(m[1]) : null;
}

export async function readSnapshot(url: string, ns: Names): Promise<Snapshot> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const e = ns.electionNumber;
    const hasSeq =
      (await c.query(`select 1 from information_schema.columns where table_schema = current_schema() and table_name = 'resolutions' and column_name = 'seq'`)).rowCount! > 0;
    const inScope = (barcode: string): boolean => parseBarcodeOf(ns, barcode) !== null;

    const receipts = new Map<string, DbReceipt>();
    for (const r of (
      await c.query(
        `select receipt_id::text, barcode, member_id::float8 as member_id, centre_id, device_id, workstation_seq::float8 as workstation_seq, outcome, flag_id::text
           from receipts where election_number = $1`,
        [e],
      )
    ).rows) {
      if (!inScope(r.barcode)) continue;
      receipts.set(r.receipt_id, {
        receiptId: r.receipt_id,
        barcode: r.barcode,
        memberId: r.member_id,
        centreId: r.centre_id,
        deviceId: r.device_id,
        workstationSeq: r.workstation_seq,
        outcome: r.outcome,
        flagId: r.flag_id,
      });
    }
    const flags = new Map<string, DbFlag>();
    for (const f of (await c.query(`select flag_id::text, receipt_id::text, kind, related_receipt_ids from flags where election_number = $1`, [e])).rows) {
      if (!receipts.has(f.receipt_id)) continue;
      flags.set(f.flag_id, { flagId: f.flag_id, receiptId: f.receipt_id, kind: f.kind, related: (f.related_receipt_ids as string[]).map((x) => x.toLowerCase()) });
    }
    const resolutions = new Map<string, DbResolution>();
    const decisionsOfFlag = new Map<string, DbResolution[]>();
    for (const r of (
      await c.query(
        `select r.resolution_id::text, r.flag_id::text, r.decision, r.recorded_at, ${hasSeq ? 'r.seq::float8' : 'null::float8'} as seq
           from resolutions r join flags f on f.flag_id = r.flag_id where f.election_number = $1`,
        [e],
      )
    ).rows) {
      if (!flags.has(r.flag_id)) continue;
      const row: DbResolution = { resolutionId: r.resolution_id, flagId: r.flag_id, decision: r.decision, recordedAt: r.recorded_at, seq: r.seq };
      resolutions.set(row.resolutionId, row);
      const list = decisionsOfFlag.get(row.flagId) ?? [];
      list.push(row);
      decisionsOfFlag.set(row.flagId, list);
    }
    // The server's order: by seq where it keeps one; before that, what the server itself used
    // (recorded_at, then id — centre-summary.ts).
    for (const list of decisionsOfFlag.values()) list.sort((a, b) => compareDecisions(a, b, hasSeq));

    const members = new Map<number, DbMember>();
    const memberByRef = new Map<string, DbMember>();
    for (const m of (
      await c.query(
        `select member_id::float8 as member_id, member_ref, code_state, counted_receipt_id::text, redeemed_at, code_hash is not null as has_code
           from members where election_number = $1`,
        [e],
      )
    ).rows) {
      if (!inNamespace(ns, m.member_ref)) continue;
      const row: DbMember = { memberId: m.member_id, ref: m.member_ref, codeState: m.code_state, countedReceiptId: m.counted_receipt_id, redeemedAt: m.redeemed_at, hasCode: m.has_code };
      members.set(row.memberId, row);
      memberByRef.set(row.ref, row);
    }
    const memberOfBarcode = new Map<string, number>();
    for (const b of (await c.query(`select ballot_number, issue, member_id::float8 as member_id from ballots where election_number = $1`, [e])).rows) {
      if (!members.has(b.member_id)) continue;
      memberOfBarcode.set(encodeBarcode(e, b.ballot_number, b.issue), b.member_id);
    }
    return { hasSeq, receipts, flags, resolutions, decisionsOfFlag, members, memberByRef, memberOfBarcode };
  } finally {
    await c.end();
  }
}

export function compareDecisions(a: DbResolution, b: DbResolution, hasSeq: boolean): number {
  if (hasSeq) return (a.seq ?? 0) - (b.seq ?? 0);
  const t = a.recordedAt.getTime() - b.recordedAt.getTime();
  return t !== 0 ? t : a.resolutionId < b.resolutionId ? -1 : a.resolutionId > b.resolutionId ? 1 : 0;
}
