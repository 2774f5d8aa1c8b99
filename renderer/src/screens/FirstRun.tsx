// First start: the first supervisor is created here (contracts.md §6 first run).
import { useState, type FormEvent } from 'react';
import { useCreateFirstSupervisorMutation } from '../api/queries/session';
import { Field } from '../components/Field';
import { useAppStore } from '../state/app-store';

export function FirstRun() {
  const refresh = useAppStore((s) => s.refresh);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const createFirstSupervisor = useCreateFirstSupervisorMutation();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (pin !== pin2) return setError('The two PINs are different.');
    const r = await createFirstSupervisor.mutateAsync({ name, pin });
    if (!r.ok) return setError(r.error.message);
    await refresh();
  };
  return (
    <main className="centered">
      <form className="card" onSubmit={submit}>
        <h1>Welcome to Ballot Intake</h1>
        <p>Create the first supervisor of this workstation.</p>
        <Field label="Your name" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} autoFocus required />
        <Field label="New PIN" type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} required />
        <Field label="Repeat PIN" type="password" inputMode="numeric" value={pin2} onChange={(e) => setPin2(e.target.value)} required />
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit">Create supervisor</button>
      </form>
    </main>
  );
}
