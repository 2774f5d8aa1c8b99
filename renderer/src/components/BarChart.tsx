// Receipts per 15 minutes as stacked SVG bars (recorded below, flagged above), drawn by
// hand: a few dozen rectangles need no chart library. Described in text for screen readers.
import type { Dashboard } from '../../../shared/api/types';
import { yAxis } from '../lib/chart-axis';

const W = 720;
const H = 220;
const PAD = { left: 40, bottom: 28, top: 10 };
const QUARTER_MS = 15 * 60_000;
/** At least four hours are drawn, so one busy quarter is a bar, not a wall. */
const MIN_QUARTERS = 16;

/** Earlier, empty quarters in front of the day's first, up to MIN_QUARTERS in all. */
function withLeadIn(buckets: Dashboard['receiptsPer15Min']): Dashboard['receiptsPer15Min'] {
  if (buckets.length === 0 || buckets.length >= MIN_QUARTERS) return buckets;
  const first = Date.parse(buckets[0]!.start);
  const lead = Array.from({ length: MIN_QUARTERS - buckets.length }, (_, i) => ({
    start: new Date(first - (MIN_QUARTERS - buckets.length - i) * QUARTER_MS).toISOString(),
    recorded: 0,
    flagged: 0,
  }));
  return [...lead, ...buckets];
}

export function ReceiptsChart({ buckets: quarters }: { buckets: Dashboard['receiptsPer15Min'] }) {
  const buckets = withLeadIn(quarters);
  const max = Math.max(1, ...buckets.map((b) => b.recorded + b.flagged));
  const { step, lines } = yAxis(max);
  const top = step * lines;
  const bw = buckets.length > 0 ? (W - PAD.left) / buckets.length : 0;
  const y = (v: number) => H - PAD.bottom - (v / top) * (H - PAD.bottom - PAD.top);
  const label = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const total = buckets.reduce((s, b) => s + b.recorded + b.flagged, 0);
  const peak = buckets.reduce((p, b) => (b.recorded + b.flagged > p.recorded + p.flagged ? b : p), buckets[0] ?? { start: '', recorded: 0, flagged: 0 });
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Receipts per 15 minutes: ${total} in ${quarters.length} quarters${peak.start ? `, most at ${label(peak.start)} (${peak.recorded + peak.flagged})` : ''}.`}>
        {Array.from({ length: lines + 1 }, (_, i) => (
          <g key={i}>
            <line x1={PAD.left} x2={W} y1={y(i * step)} y2={y(i * step)} className="grid" />
            <text x={PAD.left - 6} y={y(i * step) + 5} textAnchor="end" className="axis">
              {i * step}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => (
          <g key={b.start}>
            <rect x={PAD.left + i * bw + 2} width={Math.max(1, bw - 4)} y={y(b.recorded)} height={y(0) - y(b.recorded)} className="bar-recorded" />
            <rect x={PAD.left + i * bw + 2} width={Math.max(1, bw - 4)} y={y(b.recorded + b.flagged)} height={y(b.recorded) - y(b.recorded + b.flagged)} className="bar-flagged" />
            {(i % Math.max(1, Math.ceil(buckets.length / 8)) === 0) && (
              <text x={PAD.left + i * bw + bw / 2} y={H - 8} textAnchor="middle" className="axis">
                {label(b.start)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <span className="swatch swatch-recorded" aria-hidden="true" /> recorded <span className="swatch swatch-flagged" aria-hidden="true" /> flagged
      </figcaption>
    </figure>
  );
}
