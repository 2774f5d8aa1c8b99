// The verdict panel: colour + icon + words, large enough to read from two metres. A fixed
// height so the layout never shifts when the verdict changes.
//
// A verdict does not outlive its envelope (issue 14 item 4): it shows its time, and after a
// few seconds the panel steps back to a neutral "ready" heading with the last verdict still
// readable, smaller; opening or closing a tray clears it. The `Scan result` status keeps the
// last verdict's exact words (contracts.md §6) until the next one or a clear, so a screen
// reader is not told the same thing twice and tests read what the operator read.
import { useEffect, useState } from 'react';
import { shownHeadline } from '../lib/shown-words';
import { timeOf } from '../lib/format';
import type { ShownVerdict } from '../state/scan-store';

const ICONS = { recorded: '✓', already_recorded: '↻', flagged: '⚑', rejected: '✕', not_recorded: '!' } as const;

/** how long a verdict fills the panel before it steps back */
export const VERDICT_FRESH_MS = 6_000;

export function ScanResult({ shown, cleared, trayLabel }: { shown: ShownVerdict | null; cleared: boolean; trayLabel: string | null }) {
  const fresh = useFresh(shown?.id ?? 0);
  const v = cleared ? undefined : shown?.verdict;
  const ready = trayLabel ? `Ready: scan an envelope into tray ${trayLabel}` : 'No tray is open: press Open batch (F2) first';
  const settled = !v || !fresh;
  const tone = v && fresh ? v.verdict : trayLabel ? 'none' : 'no-tray';
  return (
    <section className={`scan-result verdict-${tone}${v && settled ? ' scan-result-settled' : ''}`} data-scan-id={shown?.id ?? 0}>
      <span className="verdict-icon" aria-hidden="true">
        {v && fresh ? ICONS[v.verdict] : trayLabel ? '…' : '⊘'}
      </span>
      <div className="verdict-body">
        {v && settled && <p className="verdict-ready">{ready}</p>}
        <div className={`verdict-line${v && settled ? ` verdict-last verdict-${v.verdict}` : ''}`}>
          {v && settled && <span className="verdict-last-label">Last read: </span>}
          <div
            role="status"
            aria-live="polite"
            aria-label="Scan result"
            className="verdict-words"
            data-flag-kind={v?.verdict === 'flagged' ? v.kind : undefined}
          >
            {v ? (
              <>
                <span className="verdict-headline">{shownHeadline(v)}</span>{' '}
                {v.display && <span className="verdict-number">{v.display}</span>}
                {v.verdict === 'flagged' && <span className="verdict-todo"> — {v.instruction}</span>}
              </>
            ) : (
              ready
            )}
          </div>
        </div>
        {v && shown && (
          <p className="verdict-when">
            at <time dateTime={shown.at}>{timeOf(shown.at)}</time>
            {shown.late && ' — the desk answered late: this envelope is recorded after all'}
            {v.verdict === 'not_recorded' && (v.why === 'no_answer' ? ' — the desk did not answer within 2 seconds' : ' — the desk could not be reached')}
          </p>
        )}
      </div>
    </section>
  );
}

/** true for VERDICT_FRESH_MS after each new verdict id */
function useFresh(id: number): boolean {
  const [staleId, setStaleId] = useState(-1);
  useEffect(() => {
    const t = setTimeout(() => setStaleId(id), VERDICT_FRESH_MS);
    return () => clearTimeout(t);
  }, [id]);
  return staleId !== id;
}
