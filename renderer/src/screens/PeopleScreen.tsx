// People who work at this workstation: add operators and supervisors, disable and
// re-enable them, reset a forgotten PIN (which also lifts a lockout) — never one's own: another
// supervisor does that. The core refuses to disable the last supervisor; the reason is shown in words.
import { useState, type FormEvent } from 'react';
import type { PersonSummary } from '../../../shared/api/types';
import type { Role } from '../../../shared/domain';
import { useAddPersonMutation, usePeopleQuery, useResetPinMutation, useSetPersonDisabledMutation } from '../api/queries/people';
import { Dialog } from '../components/Dialog';
import { ErrorText } from '../components/ErrorText';
import { Field } from '../components/Field';
import { dateTimeOf } from '../lib/format';
import { useAppStore } from '../state/app-store';

const ROLE_OPTIONS = [
  { value: 'operator', label: 'Operator' },
  { value: 'supervisor', label: 'Supervisor' },
];

export function PeopleScreen() {
  const me = useAppStore((s) => s.state!.session!);
  const list = usePeopleQuery();
  const people = list.data ?? [];
  const [writeError, setError] = useState<string | null>(null);
  const error = writeError ?? list.error?.message ?? null;
  // each write asks for the list again when it is recorded (the mutation invalidates it)
  const addPerson = useAddPersonMutation();
  const resetPin = useResetPinMutation();
  const setPersonDisabled = useSetPersonDisabledMutation();
  const [message, setMessage] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'add' } | { kind: 'reset'; person: PersonSummary } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);

  const close = () => (setDialog(null), setFormError(null));
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await addPerson.mutateAsync({ name: String(f.get('name') ?? ''), pin: String(f.get('pin') ?? ''), role: String(f.get('role')) as Role });
    if (!r.ok) return setFormError(r.error.message);
    setMessage(`${r.value.name} added as ${r.value.role}.`);
    close();
  };
  const reset = async (e: FormEvent<HTMLFormElement>, person: PersonSummary) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await resetPin.mutateAsync({ personId: person.id, pin: String(f.get('pin') ?? '') });
    if (!r.ok) return setFormError(r.error.message);
    setMessage(`The PIN of ${person.name} was reset${person.lockedUntil ? ' and the lock lifted' : ''}.`);
    close();
  };
  const setDisabled = async (person: PersonSummary, disabled: boolean) => {
    const r = await setPersonDisabled.mutateAsync({ personId: person.id, disabled });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setMessage(`${person.name} ${disabled ? 'disabled' : 'enabled again'}.`);
  };

  return (
    <section className="people">
      <h1>People</h1>
      <button type="button" onClick={() => setDialog({ kind: 'add' })}>
        Add person
      </button>
      {message && (
        <p role="status" className="ok">
          {message}
        </p>
      )}
      <ErrorText error={error} />
      <table className="data" aria-label="People">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => {
            const locked = p.lockedUntil && Date.parse(p.lockedUntil) > Date.now();
            return (
              <tr key={p.id} className={p.disabled ? 'muted' : undefined}>
                <th scope="row">
                  {p.name}
                  {p.id === me.personId ? ' (you)' : ''}
                </th>
                <td>{p.role === 'supervisor' ? 'Supervisor' : 'Operator'}</td>
                <td>{p.disabled ? 'Disabled' : locked ? `Locked until ${dateTimeOf(p.lockedUntil)}` : 'Active'}</td>
                <td className="row">
                  <button type="button" className="secondary" onClick={() => void setDisabled(p, !p.disabled)} aria-label={`${p.disabled ? 'Enable' : 'Disable'} ${p.name}`}>
                    {p.disabled ? 'Enable' : 'Disable'}
                  </button>
                  {p.id === me.personId ? (
                    // the core refuses it too: a supervisor's PIN is reset by another supervisor
                    <span>Another supervisor resets your PIN</span>
                  ) : (
                    <button type="button" className="secondary" onClick={() => setDialog({ kind: 'reset', person: p })} aria-label={`Reset PIN of ${p.name}`}>
                      Reset PIN
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Dialog title="Add person" open={dialog?.kind === 'add'} onClose={close}>
        <form onSubmit={add}>
          <Field label="Name" name="name" maxLength={80} required autoFocus />
          <Field label="PIN" name="pin" type="password" inputMode="numeric" required hint="6 to 12 digits; tell it to the person privately" />
          <Field label="Role" name="role" options={ROLE_OPTIONS} defaultValue="operator" />
          <ErrorText error={formError} />
          <button type="submit">Save person</button>
        </form>
      </Dialog>
      <Dialog title={dialog?.kind === 'reset' ? `Reset the PIN of ${dialog.person.name}` : 'Reset PIN'} open={dialog?.kind === 'reset'} onClose={close}>
        {dialog?.kind === 'reset' && (
          <form onSubmit={(e) => void reset(e, dialog.person)}>
            <Field label="New PIN" name="pin" type="password" inputMode="numeric" required autoFocus />
            <ErrorText error={formError} />
            <button type="submit">Save PIN</button>
          </form>
        )}
      </Dialog>
    </section>
  );
}
