// The whole centre on the dashboard, as the central server holds it: every workstation's
// envelopes, the centre's flags and decisions, and when each desk was last heard from. The
// rest of the dashboard is this workstation's own; this panel is how a supervisor sees the
// other desks' scanning go on. Asked every 15 seconds while someone is at the screen.
import type { CentreFigures } from '../../../shared/api/types';
import { ago, count, timeOf } from '../lib/format';
import { useCentreFiguresQuery } from '../api/queries/dashboard';

const REFRESH_MS = 15_000;

export function CentrePanel() {
  const centre = useCentreFiguresQuery(REFRESH_MS);
  const figures = centre.data ?? null;
  const error = centre.error?.message ?? null;

  return (
    <section className="panel wide" aria-labelledby="d-centre">
      <h2 id="d-centre">The whole centre</h2>
      {error && <p className="error">{error}</p>}
      {!figures && !error && <p>Asking the central server…</p>}
      {figures?.status === 'offline' && <p>This workstation works offline ({figures.reason}): the figures on this screen are its own.</p>}
      {figures?.status === 'unreachable' && (
        // not a live region: it is asked again every 15 s, and would be read out each time
        <p>
          The central server could not be reached at {timeOf(figures.at)}: {figures.reason}. The figures on this screen are this workstation&apos;s own.
        </p>
      )}
      {figures?.status === 'included' && <CentreFiguresView figures={figures} />}
    </section>
  );
}

function CentreFiguresView({ figures }: { figures: Extract<CentreFigures, { status: 'included' }> }) {
  const s = figures.summary;
  const most = Math.max(1, ...s.workstations.map((w) => w.received));
  const open = s.decisionsByKind.open + s.decisionsByKind.escalate;
  return (
    <>
      <p>
        {s.centreName}, as the central server held it at {timeOf(s.asOf)}: <strong>{count(s.received)}</strong> envelopes received,{' '}
        {count(s.accepted)} accepted, {count(s.flagged)} flagged, {count(open)} flag{open === 1 ? '' : 's'} still to decide (open or escalated).
        {figures.unsentHere > 0 &&
          ` This workstation still has ${count(figures.unsentHere)} envelope${figures.unsentHere === 1 ? '' : 's'} not sent to the server: not counted here yet.`}
      </p>
      <table className="data" aria-labelledby="d-centre">
        <thead>
          <tr>
            <th scope="col">Workstation</th>
            <th scope="col">Received</th>
            <th scope="col">Share</th>
            <th scope="col">Last envelope</th>
            <th scope="col">Audit chain last witnessed</th>
          </tr>
        </thead>
        <tbody>
          {s.workstations.map((w) => (
            <tr key={w.deviceId}>
              <th scope="row">
                {w.name}
                {w.deviceId === figures.thisDeviceId ? ' (this one)' : ''}
                {w.revoked ? ' (revoked)' : ''}
              </th>
              <td className="num">{count(w.received)}</td>
              <td className="bar-cell">
                <span className={`hbar desk-share${w.received === 0 ? ' zero' : ''}`} style={{ width: `${(w.received / most) * 100}%` }} />
                <span className="visually-hidden">{s.received > 0 ? `${Math.round((w.received / s.received) * 100)}%` : '0%'}</span>
              </td>
              <td>{ago(w.lastReceivedAt)}</td>
              <td>{ago(w.lastWitnessedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
