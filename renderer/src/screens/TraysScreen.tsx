// Every tray of this workstation: envelopes in the tray itself and in each pocket (SET-ASIDE,
// LATE: where flagged envelopes go) by the scans, what was counted there at close, and a
// discrepancy in words; and where each flagged envelope of a tray is (pocket and position).
import { Fragment, useState } from 'react';
import { FLAG_LABELS } from '../../../shared/domain';
import { POCKETS, type PlaceCount } from '../../../shared/places';
import { useBatchesQuery } from '../api/queries/batches';
import { useTrayFlagsQuery } from '../api/queries/flags';
import { ErrorText } from '../components/ErrorText';
import { flagStateWords } from '../lib/flag-state-words';
import { count, fullDateTimeOf, shortMomentOf } from '../lib/format';

/** A place's cell: envelopes there by the scans, and what was counted when it differs. */
function PlaceCell({ p }: { p: PlaceCount | undefined }) {
  if (!p) return <td>—</td>;
  const differs = p.counted !== null && p.counted !== p.expected;
  return (
    <td className={differs ? 'discrepancy' : undefined}>
      {count(p.expected)}
      {differs && ` (${count(p.counted!)} counted)`}
    </td>
  );
}

export function TraysScreen() {
  const list = useBatchesQuery();
  const batches = list.data ?? null;
  const error = list.error?.message ?? null;
  const [shown, setShown] = useState<string | null>(null);
  const discrepancies = batches?.filter((b) => b.discrepancyWords !== null) ?? [];
  return (
    <section className="trays">
      <h1>Trays</h1>
      <ErrorText error={error} />
      {batches && (
        <p className={discrepancies.length > 0 ? 'warning' : undefined}>
          {batches.length} trays, {batches.filter((b) => !b.closedAt).length} open;{' '}
          {discrepancies.length === 0 ? 'no discrepancies.' : `${discrepancies.length} with a discrepancy: ${discrepancies.map((b) => b.label).join(', ')}.`}
        </p>
      )}
      <p className="hint">
        Each tray has its pockets: {POCKETS.join(', ')}. A flagged envelope goes to the pocket its verdict names; an envelope read again is
        counted once, where its last verdict put it.
      </p>
      <table aria-label="Trays" className="data">
        <thead>
          <tr>
            <th scope="col">Tray</th>
            <th scope="col">Opened</th>
            <th scope="col">Closed</th>
            <th scope="col">Expected</th>
            <th scope="col">Envelopes</th>
            <th scope="col">Flagged</th>
            <th scope="col">In the tray</th>
            {POCKETS.map((p) => (
              <th scope="col" key={p}>
                {p}
              </th>
            ))}
            <th scope="col">Counted</th>
            <th scope="col">Discrepancy</th>
            <th scope="col">Flagged envelopes</th>
          </tr>
        </thead>
        <tbody>
          {batches?.map((b) => (
            <Fragment key={b.id}>
              <tr className={b.discrepancyWords ? 'discrepancy' : undefined}>
                <th scope="row">{b.label}</th>
                <td title={fullDateTimeOf(b.openedAt)}>{shortMomentOf(b.openedAt)}</td>
                <td title={b.closedAt ? fullDateTimeOf(b.closedAt) : undefined}>{b.closedAt ? shortMomentOf(b.closedAt) : 'open'}</td>
                <td>{b.expectedCount ?? '—'}</td>
                <td title={b.scannedCount !== b.envelopeCount ? `${count(b.scannedCount)} receipts: re-scans of an envelope count once` : undefined}>
                  {count(b.envelopeCount)}
                </td>
                <td>{count(b.flaggedCount)}</td>
                <PlaceCell p={b.places.find((p) => p.place === 'tray')} />
                {POCKETS.map((pocket) => (
                  <PlaceCell key={pocket} p={b.places.find((p) => p.place === pocket)} />
                ))}
                <td>{b.physicalCount ?? '—'}</td>
                <td className="discrepancy-cell">
                  {b.discrepancy === null
                    ? '—'
                    : b.discrepancyWords === null
                      ? 'none'
                      : `${b.discrepancy > 0 ? '+' : ''}${b.discrepancy}${b.discrepancy === 0 ? ' (misplaced)' : ''}`}
                </td>
                <td>
                  {b.flaggedCount > 0 ? (
                    <button type="button" className="secondary" aria-expanded={shown === b.id} onClick={() => setShown(shown === b.id ? null : b.id)}>
                      {shown === b.id ? 'Hide' : 'Show'} positions of {b.label}
                    </button>
                  ) : (
                    'none'
                  )}
                </td>
              </tr>
              {b.discrepancyWords && (
                <tr className="discrepancy-words">
                  <td colSpan={10 + POCKETS.length}>{b.discrepancyWords}</td>
                </tr>
              )}
              {shown === b.id && (
                <tr>
                  <td colSpan={10 + POCKETS.length}>
                    <TrayFlags batchId={b.id} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TrayFlags({ batchId }: { batchId: string }) {
  const flags = useTrayFlagsQuery(batchId);
  // in the order they lie: by place, then position (the location's words sort that way within a tray)
  const rows = flags.data ? [...flags.data.rows].sort((a, b) => a.location.localeCompare(b.location, 'en', { numeric: true })) : null;
  if (flags.error) return <ErrorText error={flags.error.message} />;
  if (!rows) return <p>Loading…</p>;
  return (
    <ul className="positions">
      {rows.map((f) => (
        <li key={f.flagId}>
          <strong>{f.location}</strong>: <span className="mono">{f.display}</span> — {FLAG_LABELS[f.kind]} (
          <span title={flagStateWords(f).title}>{flagStateWords(f).word}</span>)
        </li>
      ))}
    </ul>
  );
}
