// The one judge of contracts.md §4, for the desk and the server alike: a pure function from
// what is known about one valid envelope to the first flag kind that applies, or none.
// Each side loads the facts its own way (the desk from its SQLite register copy, offline; the
// server from the rows it read under its locks) and writes the verdict its own way; the rules
// themselves exist only here, so the two can never drift apart.
import type { FlagKind, RegisterStatus } from '../domain';

export interface PackFacts {
  issue: number;
  status: RegisterStatus;
}

export interface EnvelopeFacts {
  /**
   * What the register says. null when the judge has no register at all (a desk working
   * offline before its first copy): the register rules cannot be judged then.
   */
  register: null | {
    /** this envelope's pack; null when the barcode is not on the register */
    pack: PackFacts | null;
    /** every pack of the pack's member (including this one) */
    memberPacks: readonly PackFacts[];
    /** the member's online code was redeemed before this envelope arrived */
    onlineVoted: boolean;
  };
  /** the envelope's issue digit */
  issue: number;
  /** receipts of this very barcode already known (here, at other desks, at other centres) */
  sameBarcodeReceipts: number;
  /** receipts of another pack of the same member already known */
  sameMemberOtherReceipts: number;
  /** epoch ms: judged by the desk's scan time (contracts.md §4, late_return) */
  scannedAt: number;
  /** epoch ms of the election's close; null when not known */
  closesAt: number | null;
}

/** The first kind of contracts.md §4 that applies, or null: the envelope is accepted. */
export function judgeEnvelope(f: EnvelopeFacts): FlagKind | null {
  const register = f.register;
  if (register && !register.pack) return 'unknown_ballot';
  if (f.sameBarcodeReceipts > 0) return 'duplicate_scan';
  if (register?.pack) {
    const newerIssued = register.memberPacks.some((p) => p.status === 'issued' && p.issue > f.issue);
    if (register.pack.status !== 'issued' || newerIssued) return 'superseded_ballot';
  }
  if (f.sameMemberOtherReceipts > 0) return 'member_already_returned';
  if (register?.pack && register.onlineVoted) return 'online_vote_cast';
  if (f.closesAt !== null && f.scannedAt > f.closesAt) return 'late_return';
  return null;
}

/**
 * The verdict that binds the envelope's physical path (contracts.md §3): the server's own kind
 * where it found one, else the flag the desk showed the operator. An envelope the operator was
 * told to set aside is never counted until a supervisor decides `count`.
 */
export function bindingFlagKind(ownKind: FlagKind | null, deskKind: FlagKind | null | undefined): FlagKind | null {
  return ownKind ?? deskKind ?? null;
}
