// Which decisions a supervisor may take on a flag now (contracts.md §4), and why not.
// Pure: the facts are gathered by flags.ts inside the transaction that records the decision.
import { DECISIONS, type Decision, type FlagKind } from '../../../../shared/domain';

export interface DecisionFacts {
  kind: FlagKind;
  /** the supervisor deciding is the person who scanned the envelope */
  scannedByDecider: boolean;
  /** another receipt of the same member that currently counts (accepted, or decided `count`) */
  otherCountedReceipt: { display: string } | null;
}

export type DecisionVerdict = { allowed: true; reason: null } | { allowed: false; reason: string };

export function judgeDecision(decision: Decision, f: DecisionFacts): DecisionVerdict {
  if (f.scannedByDecider) return { allowed: false, reason: 'You scanned this envelope: another supervisor must decide.' };
  if (decision === 'count') {
    if (f.kind === 'online_vote_cast')
      return { allowed: false, reason: 'The member has voted online: this envelope cannot be counted.' };
    if (f.otherCountedReceipt)
      return { allowed: false, reason: `Another envelope of this member (${f.otherCountedReceipt.display}) is already counted.` };
  }
  return { allowed: true, reason: null };
}

export function allowedDecisions(f: DecisionFacts): Record<Decision, DecisionVerdict> {
  return Object.fromEntries(DECISIONS.map((d) => [d, judgeDecision(d, f)])) as Record<Decision, DecisionVerdict>;
}
