// Sign-in: choose your name, type your PIN.
import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../api/client';
import { useAppStore } from '../state/app-store';

export function SignIn() {
  const refresh = useAppStore((s) => s.refresh);
  const [names, setNames] = useState<Array<{ id: string; name: string }>>([]);
  const [personId, setPersonId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('listSignInNames', {}).then((r) => {
      if (r.ok) {
        setNames(r.value);
        if (r.value[0]) setPersonId(r.value[0].id);
      }
    });
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await call('signIn', { personId, pin });
    setPin('');
    if (!r.ok) return setError(r.error.message);
    await refresh();
  };
  return (
    <main className="centered">
      <form className="card" onSubmit={submit}>
        <h1>Sign in</h1>
        <label className="field">
          <span>Operator</span>
          <select value={personId} onChange={(e) => setPersonId(e.target.value)}>
            {names.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>PIN</span>
          <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
