// A flag's state in one word for people, and in a sentence for its title: open, escalated, or
// what was decided. One definition for every list that shows flags (Review, Trays).
import type { FlagState } from '../../../shared/api/types';
import { DECIDED_WORDS, DECISION_LABELS, type Decision } from '../../../shared/domain';

export function flagStateWords(flag: { state: FlagState; decision: Decision | null }): { word: string; title: string } {
  if (flag.state === 'open') return { word: 'Open', title: 'Open: not decided yet' };
  if (flag.state === 'escalated') return { word: 'Escalated', title: 'Escalated: waiting for a decision' };
  const decision = flag.decision ?? 'count';
  return { word: DECIDED_WORDS[decision], title: `Decided: ${DECISION_LABELS[decision]}` };
}
