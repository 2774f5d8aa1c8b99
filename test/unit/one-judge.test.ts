// One judge for desk and server (shared/judge): random worlds — a register, earlier receipts, an
// online vote, a close — put through the desk's loader (its register copy's rows and receipt
// counts) and the server's loader (the ballot and member rows it reads under its locks, and the
// earlier receipts it finds), must get the same verdict; and that verdict must be the first
// rule of contracts.md §4 that holds, worked out here independently from the world itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAG_KINDS, REGISTER_STATUSES, type FlagKind, type RegisterStatus } from '../../shared/domain';
import { bindingFlagKind } from '../../shared/judge/judge';
import { judgeEnvelope as deskJudge } from '../../electron/main/app/ledger/judge';
import type { RegisterEntry } from '../../electron/main/app/register/lookup';
import { serverFacts } from '../../server/ledger/batch/judge-batch';
import { judgeEnvelope } from '../../shared/judge/judge';

interface World {
  /** the member's packs on the register (issues 1..9, distinct) */
  packs: Array<{ issue: number; status: RegisterStatus }>;
  /** the scanned envelope's issue; on the register or not */
  issue: number;
  onlineVoted: boolean;
  /** earlier receipts, by issue of the pack they were for */
  earlier: number[];
  scannedAt: number;
  closesAt: number;
}

const world: fc.Arbitrary<World> = fc.record({
  packs: fc.uniqueArray(fc.record({ issue: fc.integer({ min: 1, max: 4 }), status: fc.constantFrom(...REGISTER_STATUSES) }), { selector: (p) => p.issue, maxLength: 4 }),
  issue: fc.integer({ min: 1, max: 4 }),
  onlineVoted: fc.boolean(),
  earlier: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }),
  scannedAt: fc.integer({ min: 0, max: 100 }),
  closesAt: fc.integer({ min: 0, max: 100 }),
});

/** contracts.md §4, read straight from the world: the first kind that applies. */
function expected(w: World): FlagKind | null {
  const pack = w.packs.find((p) => p.issue === w.issue);
  const rules: Array<[FlagKind, boolean]> = [
    ['unknown_ballot', !pack],
    ['duplicate_scan', w.earlier.includes(w.issue)],
    ['superseded_ballot', !!pack && (pack.status !== 'issued' || w.packs.some((p) => p.status === 'issued' && p.issue > w.issue))],
    // another pack of a KNOWN member: for an unknown pack there is no member to know
    ['member_already_returned', !!pack && w.earlier.some((i) => i !== w.issue)],
    ['online_vote_cast', !!pack && w.onlineVoted],
    ['late_return', w.scannedAt > w.closesAt],
  ];
  return rules.find(([, holds]) => holds)?.[0] ?? null;
}

/** What the desk's SQLite gives its loader. */
function deskVerdict(w: World): FlagKind | null {
  const entry = (p: { issue: number; status: RegisterStatus }): RegisterEntry => ({
    ballotNumber: 100 + p.issue, issue: p.issue, status: p.status, memberRef: 'M-1', onlineVoted: w.onlineVoted, onlineVotedAt: null,
  });
  const pack = w.packs.find((p) => p.issue === w.issue);
  return deskJudge({
    // The desk always has a copy here (a desk without one cannot judge register rules at all).
    register: { pack: pack ? entry(pack) : null, memberPacks: pack ? w.packs.map(entry) : [] },
    sameBarcodeReceipts: w.earlier.filter((i) => i === w.issue).length,
    // the desk counts receipts of the member's other packs only when it knows the member
    sameMemberOtherReceipts: pack ? w.earlier.filter((i) => i !== w.issue).length : 0,
    scannedAt: new Date(w.scannedAt),
    closesAt: new Date(w.closesAt),
    issue: w.issue,
  });
}

/** What the server's rows give its loader. */
function serverVerdict(w: World): FlagKind | null {
  const pack = w.packs.find((p) => p.issue === w.issue);
  const issued = w.packs.filter((p) => p.status === 'issued').map((p) => p.issue);
  const member = pack ? { code_state: w.onlineVoted ? 'redeemed' : 'active', max_issued: issued.length > 0 ? Math.max(...issued) : null } : undefined;
  // Earlier receipts of a known pack are found through the member; of an unknown one, by barcode.
  const sameEnvelope = w.earlier.filter((i) => i === w.issue).length;
  const otherPacks = pack ? w.earlier.filter((i) => i !== w.issue).length : 0;
  return judgeEnvelope(
    serverFacts({ ballot: pack, member, sameEnvelope, otherPacks, issue: w.issue, scannedAt: new Date(w.scannedAt).toISOString(), closesAt: w.closesAt }),
  );
}

describe('one judge for desk and server', () => {
  it('gives the same verdict from the desk\'s rows and the server\'s rows, and it is contracts.md §4\'s', () => {
    fc.assert(
      fc.property(world, (w) => {
        const want = expected(w);
        expect(deskVerdict(w)).toBe(want);
        expect(serverVerdict(w)).toBe(want);
      }),
      { numRuns: 5000 },
    );
  });

  it('binds the operator\'s verdict: the server\'s kind where it has one, else the desk\'s', () => {
    fc.assert(
      fc.property(fc.option(fc.constantFrom(...FLAG_KINDS)), fc.option(fc.constantFrom(...FLAG_KINDS)), (own, desk) => {
        const bound = bindingFlagKind(own, desk);
        expect(bound).toBe(own ?? desk ?? null);
        // an envelope the desk flagged is never accepted by the server
        if (desk) expect(bound).not.toBeNull();
      }),
    );
  });
});
