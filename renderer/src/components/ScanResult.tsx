// The verdict panel: colour + icon + words, large enough to read from two metres. A fixed
// height so the layout never shifts when the verdict changes.
import { verdictHeadline } from '../../../shared/api/verdict-text';
import type { ShownVerdict } from '../state/scan-store';

const ICONS = { recorded: '✓', already_recorded: '↻', flagged: '⚑', rejected: '✕' } as const;

export function ScanResult({ shown }: { shown: ShownVerdict | null }) {
  const v = shown?.verdict;
  return (
    <section className={`scan-result ${v ? `verdict-${v.verdict}` : 'verdict-none'}`} data-scan-id={shown?.id ?? 0}>
      <span className="verdict-icon" aria-hidden="true">
        {v ? ICONS[v.verdict] : '…'}
      </span>
      <div role="status" aria-live="polite" aria-label="Scan result" className="verdict-words">
        {v ? (
          <>
            <span className="verdict-headline">{verdictHeadline(v)}</span>{' '}
            {v.display && <span className="verdict-number">{v.display}</span>}
            {v.verdict === 'flagged' && <span className="verdict-todo"> — {v.instruction}</span>}
          </>
        ) : (
          'Ready: scan an envelope'
        )}
      </div>
    </section>
  );
}
