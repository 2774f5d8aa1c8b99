// Every tray of this workstation with its expected, scanned and physical counts,
// discrepancies highlighted, and where each flagged envelope of a tray is (its position).
import { Fragment, useEffect, useState } from 'react';
import type { BatchSummary, FlagRow } from '../../../shared/api/types';
import { FLAG_LABELS } from '../../../shared/domain';
import { call } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { count, fullDateTimeOf, shortMomentOf } from '../lib/format';

export function TraysScreen() {
  const [batches, setBatches] = useState<BatchSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  useEffect(() => {
    void call('listBatches', {}).then((r) => (r.ok ? setBatches(r.value) : setError(r.error.message)));
  }, []);
  const discrepancies = batches?.filter((b) => b.discrepancy) ?? [];
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
      <table aria-label="Trays" className="data">
        <thead>
          <tr>
            <th scope="col">Tray</th>
            <th scope="col">Opened</th>
            <th scope="col">Closed</th>
            <th scope="col">Expected</th>
            <th scope="col">Scanned</th>
            <th scope="col">Flagged</th>
            <th scope="col">Physical</th>
            <th scope="col">Discrepancy</th>
            <th scope="col">Flagged envelopes</th>
          </tr>
        </thead>
        <tbody>
          {batches?.map((b) => (
            <Fragment key={b.id}>
              <tr className={b.discrepancy ? 'discrepancy' : undefined}>
                <th scope="row">{b.label}</th>
                <td title={fullDateTimeOf(b.openedAt)}>{shortMomentOf(b.openedAt)}</td>
                <td title={b.closedAt ? fullDateTimeOf(b.closedAt) : undefined}>{b.closedAt ? shortMomentOf(b.closedAt) : 'open'}</td>
                <td>{b.expectedCount ?? '—'}</td>
                <td>{count(b.scannedCount)}</td>
                <td>{count(b.flaggedCount)}</td>
                <td>{b.physicalCount ?? '—'}</td>
                <td>{b.discrepancy === null ? '—' : b.discrepancy === 0 ? 'none' : `${b.discrepancy > 0 ? '+' : ''}${b.discrepancy}`}</td>
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
              {shown === b.id && (
                <tr>
                  <td colSpan={9}>
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
  const [rows, setRows] = useState<FlagRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('listFlags', { batchId, offset: 0, limit: 1000 }).then((r) => (r.ok ? setRows([...r.value.rows].sort((a, b) => a.position - b.position)) : setError(r.error.message)));
  }, [batchId]);
  if (error) return <ErrorText error={error} />;
  if (!rows) return <p>Loading…</p>;
  return (
    <ul className="positions">
      {rows.map((f) => (
        <li key={f.flagId}>
          position <strong>{f.position}</strong>: <span className="mono">{f.display}</span> — {FLAG_LABELS[f.kind]} ({f.state}
          {f.decision ? `: ${f.decision.replace('_', ' ')}` : ''})
        </li>
      ))}
    </ul>
  );
}
