// A made-up register for demonstrations and training: members with one pack each, some
// reissued (issue 1 superseded, issue 2 issued), some cancelled. Deterministic for a seed,
// so the same demo shows the same members.
import { REGISTER_COLUMNS } from '../../shared/register/register-csv';
import type { RegisterStatus } from '../../shared/domain';

export interface DemoPack {
  ballotNumber: number;
  issue: number;
  status: RegisterStatus;
  memberRef: string;
  /** on the member's issued pack; null on superseded/cancelled rows */
  onlineCode: string | null;
}

export interface DemoMember {
  memberRef: string;
  onlineCode: string;
  packs: DemoPack[];
  /** the pack whose envelope counts (absent when the member's pack was cancelled) */
  valid: DemoPack | undefined;
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function demoMembers(count: number, seed = 1022): DemoMember[] {
  const random = seeded(seed);
  const members: DemoMember[] = [];
  for (let i = 1; i <= count; i++) {
    const memberRef = `M-${String(i).padStart(5, '0')}`;
    let onlineCode = '';
    for (let k = 0; k < 10; k++) onlineCode += CODE_CHARS[Math.floor(random() * CODE_CHARS.length)];
    const ballotNumber = 100_000 + i;
    const r = random();
    let packs: DemoPack[];
    if (r < 0.03) {
      // a replacement pack was sent (the first was lost or spoilt)
      packs = [
        { ballotNumber, issue: 1, status: 'superseded', memberRef, onlineCode: null },
        { ballotNumber, issue: 2, status: 'issued', memberRef, onlineCode },
      ];
    } else if (r < 0.04) {
      packs = [{ ballotNumber, issue: 1, status: 'cancelled', memberRef, onlineCode: null }];
    } else {
      packs = [{ ballotNumber, issue: 1, status: 'issued', memberRef, onlineCode }];
    }
    members.push({ memberRef, onlineCode, packs, valid: packs.find((p) => p.status === 'issued') });
  }
  return members;
}

/** The register file of contracts.md §2, as lines (header first). */
export function* registerCsvLines(members: DemoMember[]): Generator<string> {
  yield REGISTER_COLUMNS.join(',') + '\n';
  for (const m of members)
    for (const p of m.packs) yield `${p.ballotNumber},${p.issue},${p.status},${p.memberRef},${p.onlineCode ?? ''}\n`;
}
