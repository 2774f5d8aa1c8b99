// The desk's side of the one judge (shared/judge): what the desk knows about one envelope —
// its register copy and its own and pulled receipts — put into the judge's facts. The rules
// are not here; they are shared with the server.
import type { FlagKind } from '../../../../shared/domain';
import { judgeEnvelope as judge, type EnvelopeFacts as JudgeFacts } from '../../../../shared/judge/judge';
import type { RegisterEntry } from '../register/lookup';

/** The desk's loader shape: rows of its SQLite register copy and counts of known receipts. */
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

/** The judge's facts from the desk's rows. */
export function deskFacts(f: EnvelopeFacts): JudgeFacts {
  return {
    register: f.register
      ? {
          pack: f.register.pack ? { issue: f.register.pack.issue, status: f.register.pack.status } : null,
          memberPacks: f.register.memberPacks.map((p) => ({ issue: p.issue, status: p.status })),
          // The register copy marks every pack of a member who voted online (the server's feed
          // sends an event per pack when the code is redeemed).
          onlineVoted: f.register.pack?.onlineVoted ?? false,
        }
      : null,
    issue: f.issue,
    sameBarcodeReceipts: f.sameBarcodeReceipts,
    sameMemberOtherReceipts: f.sameMemberOtherReceipts,
    scannedAt: f.scannedAt.getTime(),
    closesAt: f.closesAt?.getTime() ?? null,
  };
}

export function judgeEnvelope(f: EnvelopeFacts): FlagKind | null {
  return judge(deskFacts(f));
}
