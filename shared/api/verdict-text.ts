// The words of the `Scan result` region (contracts.md §6): the verdict, then for a valid
// barcode the envelope's human-readable number, then what to do with a flagged envelope.
// Also the core's short verdict strings of a flag ("flagged: online_vote_cast (count)") in
// words: the API keeps the codes, people read FLAG_WORDS and DECISION_LABELS.
import { DECISION_LABELS, FLAG_WORDS, isDecision, isFlagKind } from '../domain';
import type { ScanVerdict, Verdict } from './types';

export function verdictHeadline(v: ScanVerdict): string {
  switch (v.verdict) {
    case 'recorded':
      return 'Recorded';
    case 'already_recorded':
      return 'Already recorded';
    case 'flagged':
      return `Flagged: ${FLAG_WORDS[v.kind]}`;
    case 'rejected':
      return `Rejected: ${v.reason}`;
  }
}

export function verdictText(v: ScanVerdict): string {
  const head = verdictHeadline(v);
  const number = v.display ? ` ${v.display}` : '';
  const todo = v.verdict === 'flagged' ? ` — ${v.instruction}` : '';
  return `${head}${number}${todo}`;
}

const SHORT_VERDICT = /^(\w+)(?::\s*(\w+))?(?:\s*\((\w+)\))?$/;

/**
 * A desk or server verdict, or a receipt's outcome, as the core reports it (`accepted`,
 * `flagged: <kind>`, `flagged: <kind> (<decision>)`, `rejected: <error>`, or words already),
 * in words: `Flagged: member voted online (decided: Count)`. Anything else is shown as it is.
 */
export function outcomeWords(outcome: string): string {
  const m = SHORT_VERDICT.exec(outcome.trim());
  if (!m) return outcome;
  const [, word, kind, decision] = m;
  const head = word!.charAt(0).toUpperCase() + word!.slice(1);
  const what = kind === undefined ? '' : isFlagKind(kind) ? `: ${FLAG_WORDS[kind]}` : `: ${kind.replace(/_/g, ' ')}`;
  const decided = decision === undefined ? '' : isDecision(decision) ? ` (decided: ${DECISION_LABELS[decision]})` : ` (${decision})`;
  return `${head}${what}${decided}`;
}

/** A receipt's verdict (desk or server) in words: `Accepted`, `Flagged: member voted online`, `Rejected: …`. */
export function receiptVerdictWords(v: Verdict): string {
  switch (v.outcome) {
    case 'accepted':
      return 'Accepted';
    case 'flagged':
      return `Flagged: ${FLAG_WORDS[v.kind]}`;
    case 'rejected':
      return v.error ? `Rejected: ${v.error.replace(/_/g, ' ')}` : 'Rejected';
  }
}
