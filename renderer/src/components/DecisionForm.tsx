// A supervisor's decision on one flag or on several of the same kind, with the one required
// `Note`. A decision the rules forbid is disabled with the reason beside it; the core checks
// again when it records, and each flag's outcome is reported in words. A decision pressed
// without a note is answered beside the button pressed (and the cursor goes to the note), so
// the press never seems to do nothing.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { FlagDetail } from '../../../shared/api/types';
import { DECISION_LABELS, DECISIONS, type Decision } from '../../../shared/domain';
import { useDecideFlagsMutation } from '../api/queries/flags';
import { ErrorText } from './ErrorText';

export type Allowed = FlagDetail['allowed'];

/** The contract's limit on a note (shared/api/contract.ts): typing stops there. */
const NOTE_MAX = 2000;

export function DecisionForm({ flagIds, allowed, onDecided }: { flagIds: string[]; allowed: Allowed | null; onDecided(summary: string): void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  // recording it invalidates the flags, their details, the trays and the dashboard
  const decideFlags = useDecideFlagsMutation();
  const busy = decideFlags.isPending;
  const [noteMissingFor, setNoteMissingFor] = useState<Decision | null>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  const decide = async (decision: Decision, e?: FormEvent) => {
    e?.preventDefault();
    if (note.trim() === '') {
      setNoteMissingFor(decision);
      noteField.current?.focus();
      return;
    }
    setNoteMissingFor(null);
    const r = await decideFlags.mutateAsync({ flagIds, decision, note });
    if (!r.ok) return setError(r.error.message);
    const refused = r.value.filter((x) => !x.ok);
    if (refused.length > 0) {
      setError(`${refused.length} of ${r.value.length} refused: ${[...new Set(refused.map((x) => x.message))].join(' ')}`);
      if (refused.length === r.value.length) return;
    }
    setNote('');
    onDecided(`${DECISION_LABELS[decision]}: ${r.value.length - refused.length} of ${r.value.length} flag${r.value.length === 1 ? '' : 's'} decided.`);
  };

  return (
    <form className="decision" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        <span>Note</span>
        <textarea
          ref={noteField}
          value={note}
          onChange={(e) => (setNote(e.target.value), e.target.value.trim() !== '' && setNoteMissingFor(null))}
          rows={3}
          maxLength={NOTE_MAX}
          aria-invalid={noteMissingFor !== null}
          required
        />
      </label>
      <div className="decision-buttons">
        {DECISIONS.map((d) => {
          const rule = allowed?.[d];
          const forbidden = rule ? !rule.allowed : false;
          const described = [forbidden ? `${id}-${d}` : null, noteMissingFor === d ? `${id}-${d}-note` : null].filter(Boolean).join(' ');
          return (
            <div key={d} className="decision-choice">
              <button type="button" disabled={busy || !allowed || forbidden} aria-describedby={described || undefined} onClick={() => void decide(d)}>
                {DECISION_LABELS[d]}
              </button>
              {forbidden && (
                <small id={`${id}-${d}`} className="reason">
                  {rule!.reason}
                </small>
              )}
              {noteMissingFor === d && (
                <small id={`${id}-${d}-note`} role="alert" className="reason note-missing">
                  Write a note first: every decision needs one.
                </small>
              )}
            </div>
          );
        })}
      </div>
      <ErrorText error={error} />
    </form>
  );
}

/** What a group may do: a decision is allowed only if it is allowed on every flag of the group. */
export function combineAllowed(details: FlagDetail[]): Allowed | null {
  if (details.length === 0) return null;
  return Object.fromEntries(
    DECISIONS.map((d) => {
      const refused = details.filter((x) => !x.allowed[d].allowed);
      return [
        d,
        refused.length === 0
          ? { allowed: true, reason: null }
          : { allowed: false, reason: `${refused.length === details.length ? 'Not allowed' : `Not allowed for ${refused.length} of ${details.length}`}: ${[...new Set(refused.map((x) => x.allowed[d].reason))].join(' ')}` },
      ];
    }),
  ) as Allowed;
}
