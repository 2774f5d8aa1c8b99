// What a batch of receipts is judged from (load-batch.ts reads it under the batch's locks) and
// what judging it decides (judge-batch.ts), for write-batch.ts to store.
import type { RegisterStatus } from '../../../shared/domain';
import type { FlagOut, ReceiptIn, ReceiptResult } from '../../../shared/protocol/central-api';
import type { PendingChange } from '../events';

export interface Workstation {
  deviceId: string;
  centreId: string;
  electionNumber: number;
}

export interface BallotRow {
  ballot_number: number;
  issue: number;
  status: RegisterStatus;
  member_id: number;
}
export interface MemberRow {
  member_id: number;
  member_ref: string;
  code_state: 'active' | 'deactivated' | 'redeemed';
  has_code: boolean;
  counted_receipt_id: string | null;
  redeemed_at: Date | null;
  max_issued: number | null;
}
export interface PriorReceipt {
  receipt_id: string;
  barcode: string;
  member_id: number | null;
  centre_id: string;
  /** where and when it arrived, for the words of the flag (null: in this same request) */
  device_name: string | null;
  received_at: Date | null;
}

/** Everything the judge needs about a batch, read in one transaction under its locks. */
export interface BatchFacts {
  closesAt: Date | null;
  /** by `${ballotNumber}:${issue}` */
  ballots: Map<string, BallotRow>;
  members: Map<number, MemberRow>;
  /** receipts of this batch already received (resends), by lower-case id */
  stored: Map<string, { content_hash: string; result: ReceiptResult }>;
  /** earlier receipts of the batch's members, and of its barcodes not on the register */
  priorByMember: Map<number, PriorReceipt[]>;
  priorByUnknownBarcode: Map<string, PriorReceipt[]>;
}

export interface Judged {
  input: ReceiptIn;
  result: ReceiptResult;
  /** set for receipts stored by this call (not replays, not rejections) */
  store?: { memberId: number | null; barcode: string; contentHash: string; flag?: FlagOut };
  /** set for receipts rejected by this call (kept for their workstationSeq and resends) */
  rejectedHash?: string;
}

/** What judging a batch decided: one entry per receipt, the members' code changes, the feed events. */
export interface BatchVerdict {
  judged: Judged[];
  codeChanges: Map<number, { state: string; counted: string | null }>;
  changes: PendingChange[];
}

export function pushPrior<K>(map: Map<K, PriorReceipt[]>, key: K, p: PriorReceipt): void {
  const list = map.get(key) ?? [];
  list.push(p);
  map.set(key, list);
}
