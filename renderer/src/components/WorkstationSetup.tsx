// Where this workstation gets its election: enrolment with the central server (address +
// one-time code), or working offline with the election typed in by the supervisor. On an
// enrolled desk the server owns the election and its close: they are shown, not edited, and
// working offline means leaving enrolment, which the supervisor confirms in a dialog that
// says what it does (the close typed here would otherwise be put back by the next sync).
import { showFingerprint } from '../../../shared/security/server-key';
import { useState, type FormEvent } from 'react';
import type { WorkstationInfo } from '../../../shared/api/types';
import type { ApiResult } from '../../../shared/api/contract';
import { useConfigureOfflineMutation, useEnrolMutation } from '../api/queries/session';
import { useSyncStatusQuery } from '../api/queries/sync';
import { count } from '../lib/format';
import { useAppStore } from '../state/app-store';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

/** `datetime-local` has no zone: read it as the workstation's local time. */
function localToIso(value: string): string | null {
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

const pad = (n: number) => String(n).padStart(2, '0');
const toLocalInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** The close in force if there is one (never silently replaced), else today 17:00. */
function initialClose(closesAt: string | null): string {
  if (closesAt) return toLocalInput(new Date(closesAt));
  const d = new Date();
  d.setHours(17, 0, 0, 0);
  return toLocalInput(d);
}

// The contract's limits (shared/api/contract.ts): typing stops there rather than being refused.
const NAME_MAX = 80;
const ELECTION_NAME_MAX = 200;

export function WorkstationSetup({ onDone }: { onDone?(info: WorkstationInfo): void }) {
  const state = useAppStore((s) => s.state);
  const refresh = useAppStore((s) => s.refresh);
  const ws = state!.workstation;
  const waiting = useSyncStatusQuery().data?.waiting ?? null;
  const [name, setName] = useState(ws.workstationName);
  const [serverUrl, setServerUrl] = useState(ws.serverUrl ?? '');
  const [code, setCode] = useState('');
  const [election, setElection] = useState(ws.electionNumber ? String(ws.electionNumber) : '');
  const [electionName, setElectionName] = useState(ws.electionName ?? '');
  const [closesAt, setClosesAt] = useState(initialClose(ws.closesAt));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const enrolDesk = useEnrolMutation();
  const configureOffline = useConfigureOfflineMutation();

  const finish = async (r: ApiResult<'enrol'>, how: string) => {
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setDone(how);
    setLeaving(false);
    await refresh();
    onDone?.(r.value);
  };
  const enrol = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await enrolDesk.mutateAsync({ serverUrl: serverUrl.trim(), enrolmentCode: code.trim(), workstationName: name });
    // Over https the desk pinned the server's key: the supervisor compares it with the key
    // printed beside the enrolment code (a machine in the middle would show another).
    const key = r.ok && r.value.serverKey ? ` Server key: ${showFingerprint(r.value.serverKey)}. Check that it is the key printed with the enrolment code.` : '';
    await finish(r, `Enrolled with ${serverUrl.trim()}.${key}`);
  };
  const offline = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(election);
    const closes = localToIso(closesAt);
    if (!Number.isInteger(n) || n < 1 || n > 9999) return setError('The election number is 1 to 9999 (the first four digits of every barcode).');
    if (!closes) return setError('Give the closing date and time.');
    setBusy(true);
    const r = await configureOffline.mutateAsync({
      electionNumber: n,
      electionName,
      closesAt: closes,
      workstationName: name,
      ...(ws.enrolled ? { leaveEnrolment: true as const } : {}),
    });
    await finish(r, ws.enrolled ? `Enrolment left: working offline for election ${n}.` : `Working offline for election ${n}.`);
  };

  const offlineFields = (
    <>
      <Field label="Election number" inputMode="numeric" maxLength={4} value={election} onChange={(e) => setElection(e.target.value)} required />
      <Field label="Election name" maxLength={ELECTION_NAME_MAX} value={electionName} onChange={(e) => setElectionName(e.target.value)} required />
      <Field label="Closing time" type="datetime-local" value={closesAt} onChange={(e) => setClosesAt(e.target.value)} required />
    </>
  );

  return (
    <div className="setup-forms">
      <Field label="Workstation name" maxLength={NAME_MAX} value={name} onChange={(e) => setName(e.target.value)} required />
      <div className="two-columns">
        <form className="panel" onSubmit={enrol} aria-label="Enrol with the central server">
          <h3>{ws.enrolled ? 'Enrol again' : 'Enrol with the central server'}</h3>
          <Field label="Server address" type="url" maxLength={500} placeholder="https://…" value={serverUrl} onChange={(e) => setServerUrl(e.target.value)} required />
          <Field label="Enrolment code" maxLength={64} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
          <button type="submit" disabled={busy}>
            Enrol
          </button>
        </form>
        {ws.enrolled ? (
          <section className="panel" aria-labelledby="leave-enrolment">
            <h3 id="leave-enrolment">Or work offline</h3>
            <p>
              The central server sets this desk's election ({ws.electionNumber} {ws.electionName}) and its closing time: they cannot be changed here while
              the desk is enrolled.
            </p>
            <button type="button" className="secondary" onClick={() => (setError(null), setLeaving(true))}>
              Leave enrolment…
            </button>
          </section>
        ) : (
          <form className="panel" onSubmit={offline} aria-label="Work offline">
            <h3>Or work offline</h3>
            {offlineFields}
            <button type="submit" disabled={busy}>
              Work offline
            </button>
          </form>
        )}
      </div>
      {!leaving && <ErrorText error={error} />}
      {done && !error && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {ws.enrolled && (
        <Dialog title="Leave enrolment?" open={leaving} onClose={() => setLeaving(false)}>
          <form onSubmit={offline}>
            <p className="warning">
              This desk will stop sending to {ws.serverUrl ?? 'the central server'} and stop receiving the register's changes.
              {waiting !== null && waiting > 0 ? ` ${count(waiting)} item${waiting === 1 ? '' : 's'} not sent yet stay here until it is enrolled again.` : ''} The
              election and closing time below are then this desk's own.
            </p>
            {offlineFields}
            <ErrorText error={error} />
            <div className="row">
              <button type="submit" disabled={busy}>
                Work offline
              </button>
              <button type="button" className="secondary" onClick={() => setLeaving(false)}>
                Stay enrolled
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </div>
  );
}
