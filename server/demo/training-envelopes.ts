// The demo's training pack: which envelopes go on the label sheet and what each one should do
// when it is scanned for the first time at a desk enrolled in the demo. The expected verdict
// comes from the same rules the desk and the server use (shared/barcode for a refused read,
// shared/judge for a flag) applied to the demo's own register, so a label can only say what
// the desk will say; test/server/demo.test.ts scans every label at a real desk to prove it.
import { encodeBarcode, parseBarcode, type BarcodeRejection } from '../../shared/barcode/barcode';
import { FLAG_INSTRUCTIONS, FLAG_WORDS, type FlagKind } from '../../shared/domain';
import { judgeEnvelope } from '../../shared/judge/judge';
import type { DemoMember, DemoPack } from './demo-register';

export type ExpectedVerdict = { verdict: 'recorded' } | { verdict: 'flagged'; kind: FlagKind } | { verdict: 'rejected'; reason: BarcodeRejection };

export interface TrainingEnvelope {
  barcode: string;
  /** what the envelope is, for the trainer: "Member voted online · M-00041" */
  caseName: string;
  expected: ExpectedVerdict;
}

/** The verdict's words as the scan panel shows them (contracts.md §4 words for a flag). */
export function verdictWords(v: ExpectedVerdict): string {
  if (v.verdict === 'recorded') return 'Recorded';
  if (v.verdict === 'flagged') return `Flagged: ${FLAG_WORDS[v.kind]}`;
  return `Rejected: ${v.reason}`;
}

/** What the operator does with the envelope after that verdict. */
export function whatToDo(v: ExpectedVerdict): string {
  if (v.verdict === 'recorded') return 'keep it in the tray';
  if (v.verdict === 'flagged') return FLAG_INSTRUCTIONS[v.kind];
  if (v.reason.startsWith('election ')) return "nothing is recorded: another election's envelope, hand it to the supervisor";
  return 'nothing is recorded: scan it again; refused again, hand it to the supervisor';
}

export interface DemoElectionFacts {
  electionNumber: number;
  members: readonly DemoMember[];
  /** members whose online code was redeemed before the demo starts */
  onlineVoters: ReadonlySet<string>;
  /** the election's close (epoch ms) and when the envelopes will be scanned (before it) */
  closesAt: number;
  scannedAt: number;
}

/** The verdict of a first scan of `barcode` at a desk holding the demo register. */
export function expectedVerdict(barcode: string, f: DemoElectionFacts, byBallot: ReadonlyMap<number, DemoMember>): ExpectedVerdict {
  const parsed = parseBarcode(barcode, f.electionNumber);
  if (!parsed.ok) return { verdict: 'rejected', reason: parsed.error };
  const member = byBallot.get(parsed.value.ballotNumber);
  const pack = member?.packs.find((p) => p.issue === parsed.value.issue) ?? null;
  const kind = judgeEnvelope({
    register: {
      pack: pack && { issue: pack.issue, status: pack.status },
      memberPacks: member && pack ? member.packs.map((p) => ({ issue: p.issue, status: p.status })) : [],
      onlineVoted: !!member && f.onlineVoters.has(member.memberRef),
    },
    issue: parsed.value.issue,
    sameBarcodeReceipts: 0,
    sameMemberOtherReceipts: 0,
    scannedAt: f.scannedAt,
    closesAt: f.closesAt,
  });
  return kind ? { verdict: 'flagged', kind } : { verdict: 'recorded' };
}

/** The same number with its check digits changed: what a smudged or mistyped print reads as. */
function withBadCheckDigits(barcode: string): string {
  const cc = (Number(barcode.slice(14)) + 1) % 100; // off by one mod 97 can never pass MOD 97-10
  return barcode.slice(0, 14) + String(cc).padStart(2, '0');
}

export interface TrainingCase {
  name: string;
  envelopes: TrainingEnvelope[];
}

/** How many labels of each case (a row of the 3-across label sheet). */
export const PER_CASE = 3;

/**
 * One row of labels per verdict, then `everyday` envelopes of the register's first members
 * (those not used by a case), each as it comes. Every member appears at most once, so the
 * verdicts do not depend on the order of scanning. Throws if the register lacks a case.
 */
export function trainingPack(f: DemoElectionFacts, everyday: number): { cases: TrainingCase[]; everyday: TrainingEnvelope[] } {
  const byBallot = new Map(f.members.map((m) => [m.packs[0]!.ballotNumber, m]));
  const used = new Set<string>();
  const envelope = (barcode: string, caseName: string): TrainingEnvelope => ({ barcode, caseName, expected: expectedVerdict(barcode, f, byBallot) });
  const pick = (name: string, fits: (m: DemoMember) => boolean): DemoMember[] => {
    const found = f.members.filter((m) => !used.has(m.memberRef) && fits(m)).slice(0, PER_CASE);
    if (found.length < PER_CASE) throw new Error(`the demo register has too few members for the training case "${name}"`);
    for (const m of found) used.add(m.memberRef);
    return found;
  };
  const code = (p: DemoPack) => encodeBarcode(f.electionNumber, p.ballotNumber, p.issue);
  const single = (m: DemoMember) => m.packs.length === 1 && m.packs[0]!.status === 'issued';
  const online = (m: DemoMember) => f.onlineVoters.has(m.memberRef);
  const lastBallot = Math.max(...f.members.map((m) => m.packs[0]!.ballotNumber));

  const cases: TrainingCase[] = [
    { name: 'Current pack', envelopes: pick('current pack', (m) => single(m) && !online(m)).map((m) => envelope(code(m.packs[0]!), `Current pack · ${m.memberRef}`)) },
    {
      name: 'Replaced pack',
      envelopes: pick('replaced pack', (m) => m.packs.some((p) => p.status === 'superseded')).map((m) =>
        envelope(code(m.packs.find((p) => p.status === 'superseded')!), `Replaced pack (issue 1 of 2) · ${m.memberRef}`),
      ),
    },
    { name: 'Cancelled pack', envelopes: pick('cancelled pack', (m) => m.packs.every((p) => p.status === 'cancelled')).map((m) => envelope(code(m.packs[0]!), `Cancelled pack · ${m.memberRef}`)) },
    { name: 'Member voted online', envelopes: pick('member voted online', (m) => single(m) && online(m)).map((m) => envelope(code(m.packs[0]!), `Member voted online · ${m.memberRef}`)) },
    {
      name: 'Unknown ballot',
      envelopes: [1, 2, 3].map((k) => envelope(encodeBarcode(f.electionNumber, lastBallot + 1000 * k, 1), 'Ballot number not on the register')),
    },
    {
      name: 'Wrong election',
      envelopes: pick('wrong election', (m) => single(m) && !online(m)).map((m) =>
        envelope(encodeBarcode(f.electionNumber + 1, m.packs[0]!.ballotNumber, 1), `Election ${f.electionNumber + 1}'s envelope`),
      ),
    },
    {
      name: 'Bad check digits',
      envelopes: pick('bad check digits', (m) => single(m) && !online(m)).map((m) => envelope(withBadCheckDigits(code(m.packs[0]!)), `Misprinted check digits (right: ${code(m.packs[0]!).slice(-2)})`)),
    },
  ];
  const rest = f.members
    .filter((m) => !used.has(m.memberRef))
    .slice(0, everyday)
    .map((m) => {
      const pack = m.valid ?? m.packs[m.packs.length - 1]!;
      const what = m.valid ? (pack.issue > 1 ? 'replacement pack' : 'pack') : 'cancelled pack';
      return envelope(code(pack), `${m.memberRef} · ${what}`);
    });
  return { cases, everyday: rest };
}
