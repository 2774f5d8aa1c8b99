// The reads the desk did not record (issue 14 item 1), as the scanner read them, newest
// first: they stay here, loud, until the same envelope is scanned again and recorded, so an
// envelope that went into the tray unrecorded is never forgotten behind later verdicts.
import { timeOf } from '../lib/format';
import type { UnrecordedRead } from '../state/scan-store';

export function NotRecordedList({ reads }: { reads: UnrecordedRead[] }) {
  if (reads.length === 0) return null;
  return (
    <section aria-label="Not recorded reads" className="not-recorded">
      <h2>
        Not recorded — scan {reads.length === 1 ? 'this envelope' : `these ${reads.length} envelopes`} again
      </h2>
      <ul>
        {reads.map((r) => (
          <li key={r.key} data-read-key={r.key}>
            <time dateTime={r.at}>{timeOf(r.at)}</time> <span className="not-recorded-read">{r.display ?? r.raw.slice(0, 40)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
