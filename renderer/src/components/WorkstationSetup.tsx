// Where this workstation gets its election: enrolment with the central server (address +
// one-time code), or working offline with the election typed in by the supervisor.
import { useState, type FormEvent } from 'react';
import type { WorkstationInfo } from '../../../shared/api/types';
import { call } from '../api/client';
import { useAppStore } from '../state/app-store';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

/** `datetime-local` has no zone: read it as the workstation's local time. */
function localToIso(value: string): string | null {
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

function defaultClose(): string {
  const d = new Date();
  d.setHours(17, 0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function WorkstationSetup({ onDone }: { onDone?(info: WorkstationInfo): void }) {
  const { state, refresh } = useAppStore();
  const ws = state!.workstation;
  const [name, setName] = useState(ws.workstationName);
  const [serverUrl, setServerUrl] = useState(ws.serverUrl ?? '');
  const [code, setCode] = useState('');
  const [election, setElection] = useState(ws.electionNumber ? String(ws.electionNumber) : '');
  const [electionName, setElectionName] = useState(ws.electionName ?? '');
  const [closesAt, setClosesAt] = useState(defaultClose());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const finish = async (r: Awaited<ReturnType<typeof call<'enrol'>>>, how: string) => {
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setDone(how);
    await refresh();
    onDone?.(r.value);
  };
  const enrol = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await call('enrol', { serverUrl: serverUrl.trim(), enrolmentCode: code.trim(), workstationName: name });
    await finish(r, `Enrolled with ${serverUrl.trim()}.`);
  };
  const offline = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(election);
    const closes = localToIso(closesAt);
    if (!Number.isInteger(n) || n < 1 || n > 9999) return setError('The election number is 1 to 9999 (the first four digits of every barcode).');
    if (!closes) return setError('Give the closing date and time.');
    setBusy(true);
    const r = await call('configureOffline', { electionNumber: n, electionName, closesAt: closes, workstationName: name });
    await finish(r, `Working offline for election ${n}.`);
  };

  return (
    <div className="setup-forms">
      <Field label="Workstation name" value={name} onChange={(e) => setName(e.target.value)} required />
      <div className="two-columns">
        <form className="panel" onSubmit={enrol} aria-label="Enrol with the central server">
          <h3>Enrol with the central server</h3>
          <Field label="Server address" type="url" placeholder="https://…" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} required />
          <Field label="Enrolment code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
          <button type="submit" disabled={busy}>
            Enrol
          </button>
        </form>
        <form className="panel" onSubmit={offline} aria-label="Work offline">
          <h3>Or work offline</h3>
          <Field label="Election number" inputMode="numeric" value={election} onChange={(e) => setElection(e.target.value)} required />
          <Field label="Election name" value={electionName} onChange={(e) => setElectionName(e.target.value)} required />
          <Field label="Closing time" type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} required />
          <button type="submit" disabled={busy}>
            Work offline
          </button>
        </form>
      </div>
      <ErrorText error={error} />
      {done && !error && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
    </div>
  );
}
