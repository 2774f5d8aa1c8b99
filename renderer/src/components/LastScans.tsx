// The last 20 scans, newest first, each with its time and verdict. A fixed height: the
// screen never moves when the list grows.
import { timeOf } from '../lib/format';
import { shownLine } from '../lib/shown-words';
import type { ShownVerdict } from '../state/scan-store';

const SOURCE = { scanner: '', camera: ' (camera)', manual: ' (typed)' } as const;

export function LastScans({ history }: { history: ShownVerdict[] }) {
  return (
    <section aria-label="Last scans" className="last-scans">
      <h2>Last scans</h2>
      <ol className="recent">
        {history.map((h) => (
          <li key={h.id} className={`verdict-${h.verdict.verdict}`}>
            <time dateTime={h.at}>{timeOf(h.at)}</time>{' '}
            <span className="recent-verdict">{shownLine(h.verdict)}</span>
            <span className="recent-source">
              {SOURCE[h.source]}
              {h.late && ' (answered late)'}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
