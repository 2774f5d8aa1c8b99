// The live dashboard: receipts per 15 minutes, flags by kind, per-operator throughput, sync
// lag and envelopes waiting; refreshed every few seconds and when flags change, while
// someone is at the screen; then the whole centre from the central server (CentrePanel).
// The end-of-day statement is exported from here.
import { FLAG_KINDS, FLAG_LABELS } from '../../../shared/domain';
import { ReceiptsChart } from '../components/BarChart';
import { CentrePanel } from '../components/CentrePanel';
import { ErrorText } from '../components/ErrorText';
import { ExportButtons } from '../components/ExportButtons';
import { ago, count, timeOf } from '../lib/format';
import { useDashboardQuery } from '../api/queries/dashboard';

const REFRESH_MS = 5_000;

export function DashboardScreen() {
  // polled while someone is at the screen; a flag raised or decided, or a sync, asks at once (api/queries/push.ts)
  const dashboard = useDashboardQuery(REFRESH_MS);
  const data = dashboard.data ?? null;
  const error = dashboard.error?.message ?? null;
  const at = dashboard.dataUpdatedAt ? new Date(dashboard.dataUpdatedAt).toISOString() : null;

  const maxKind = Math.max(1, ...(data ? Object.values(data.flagsByKind) : [1]));
  return (
    <section className="dashboard">
      <h1>Dashboard</h1>
      <ErrorText error={error} />
      <p className="updated">This workstation&apos;s figures, updated {timeOf(at)}; refreshes every 5 seconds. The whole centre is below.</p>
      {data && (
        <div className="dash-grid">
          <section className="panel wide" aria-labelledby="d-rate">
            <h2 id="d-rate">Receipts per 15 minutes</h2>
            <ReceiptsChart buckets={data.receiptsPer15Min} />
          </section>
          <section className="panel" aria-labelledby="d-kinds">
            <h2 id="d-kinds">Flags by kind</h2>
            <p>{count(data.openFlags)} open flags waiting for a decision.</p>
            <table className="data" aria-labelledby="d-kinds">
              <tbody>
                {FLAG_KINDS.map((k) => (
                  <tr key={k}>
                    <th scope="row">{FLAG_LABELS[k]}</th>
                    <td className="num">{count(data.flagsByKind[k] ?? 0)}</td>
                    <td className="bar-cell" aria-hidden="true">
                      <span className={`hbar${(data.flagsByKind[k] ?? 0) === 0 ? ' zero' : ''}`} style={{ width: `${((data.flagsByKind[k] ?? 0) / maxKind) * 100}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="d-ops">
            <h2 id="d-ops">Operators</h2>
            <table className="data" aria-labelledby="d-ops">
              <thead>
                <tr>
                  <th scope="col">Operator</th>
                  <th scope="col">Receipts today</th>
                  <th scope="col">Last hour</th>
                </tr>
              </thead>
              <tbody>
                {data.perOperator.map((o) => (
                  <tr key={o.name}>
                    <th scope="row">{o.name}</th>
                    <td className="num">{count(o.receipts)}</td>
                    <td className="num">{count(Math.round(o.perHour))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="d-sync">
            <h2 id="d-sync">Sync</h2>
            <p className="big-number">{count(data.waiting)}</p>
            <p>envelopes and decisions waiting to be sent</p>
            <p>
              Last sync: {ago(data.lastSyncAt)}
              {data.oldestWaitingAt ? `; the oldest waiting item is from ${ago(data.oldestWaitingAt)} (sync lag).` : '; nothing is waiting.'}
            </p>
            {data.refused > 0 && (
              <p className="warning">
                {data.refused === 1 ? '1 envelope or decision was' : `${count(data.refused)} envelopes and decisions were`} refused by the central
                server and not sent again: see Refused items at the top of the screen.
              </p>
            )}
          </section>
        </div>
      )}
      {!data && !error && <p>Loading…</p>}
      <CentrePanel />
      <section className="panel wide" aria-labelledby="d-export">
        <h2 id="d-export">End of day</h2>
        <p>The statement for the returning officer: totals, flags and decisions by kind, trays with counts and discrepancies, and the audit chain head.</p>
        <ExportButtons which={['statement_pdf', 'statement_csv', 'receipts_csv', 'flags_csv']} />
      </section>
    </section>
  );
}
