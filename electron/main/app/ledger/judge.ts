// The desk's verdict on one valid envelope (contracts.md §4): the first flag kind that
// applies, or none. Pure: everything it needs is handed in, so each rule is tested alone.
import type { FlagKind } from '../../../../shared/domain';
import type { RegisterEntry } from '../register/lookup';

export interface EnvelopeFacts {
  /** null when no register copy is loaded: register rules cannot be judged at the desk */
  register: { pack: RegisterEntry | null; memberPacks: RegisterEntry[] } | null;
  /** receipts of this barcode already known (here, other workstations, other centres) */
  sameBarcodeReceipts: number;
  /** receipts of another pack of the same member already known */
  sameMemberOtherReceipts: number;
  scannedAt: Date;
  closesAt: Date | null;
  issue: number;
}

export function judgeEnvelope(f: EnvelopeFacts): FlagKind | null {
  if (f.register && !f.register.pack) return 'unknown_ballot';
  if (f.sameBarcodeReceipts > 0) return 'duplicate_scan';
  if (f.register?.pack) {
    const pack = f.register.pack;
    const newerIssued = f.register.memberPacks.some((p) => p.status === 'issued' && p.issue > f.issue);
    if (pack.status !== 'issued' || newerIssued) return 'superseded_ballot';
  }
  if (f.sameMemberOtherReceipts > 0) return 'member_already_returned';
  if (f.register?.pack?.onlineVoted) return 'online_vote_cast';
  if (f.closesAt && f.scannedAt.getTime() > f.closesAt.getTime()) return 'late_return';
  return null;
}
