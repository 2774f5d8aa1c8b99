// Sign-in: choose your name, type your PIN. Also the lock screen after the idle lock: the
// person locked out is chosen already and the screen says why it locked.
//
// An envelope scanned into this screen is not a PIN try (issue 14 item 2): a barcode-shaped
// input (lib/barcode-shaped.ts) is refused here, loudly, without asking the core, so it
// neither spends one of the five tries nor looks recorded.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useSignInNamesQuery } from '../api/queries/people';
import { useForgetLastSession, useSignInMutation } from '../api/queries/session';
import { createBurstWatch, looksLikeBarcode } from '../lib/barcode-shaped';
import { playVerdict } from '../lib/sound';
import { useAppStore } from '../state/app-store';

export const SIGN_IN_FIRST = 'Not recorded — sign in first';

const NO_NAMES: Array<{ id: string; name: string }> = [];

export function SignIn() {
  const refresh = useAppStore((s) => s.refresh);
  const lock = useAppStore((s) => s.lock);
  const muted = useAppStore((s) => s.state?.settings.muted ?? false);
  const names = useSignInNamesQuery().data ?? NO_NAMES;
  const signIn = useSignInMutation();
  useForgetLastSession();
  // the first name until the person (or the idle lock) chooses
  const [chosenId, setPersonId] = useState('');
  const personId = chosenId || (names[0]?.id ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const burst = useRef(createBurstWatch());
  const pinField = useRef<HTMLInputElement>(null);
  // After the idle lock, the person it locked out is chosen (the lock may be known after the names).
  useEffect(() => {
    if (lock && names.some((n) => n.id === lock.personId)) setPersonId(lock.personId);
  }, [lock, names]);
  const refuseScan = () => {
    setPin('');
    // a scanner's characters may be in the field without React having seen them
    if (pinField.current) pinField.current.value = '';
    setError(SIGN_IN_FIRST);
    if (!muted) playVerdict('not_recorded');
    pinField.current?.focus();
  };
  // Before the form sees Enter: the Enter that ends a scanner's burst submits nothing.
  const onKeyDownCapture = (e: KeyboardEvent<HTMLFormElement>) => {
    if (!burst.current.key(e.key) && !(e.key === 'Enter' && looksLikeBarcode(pin))) return;
    e.preventDefault();
    e.stopPropagation();
    refuseScan();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (looksLikeBarcode(pin)) return refuseScan();
    const r = await signIn.mutateAsync({ personId, pin });
    setPin('');
    if (!r.ok) return setError(r.error.message);
    await refresh();
  };
  return (
    <main className="centered">
      <form className="card" onSubmit={submit} onKeyDownCapture={onKeyDownCapture}>
        <h1>Sign in</h1>
        {lock && (
          <p className="lock-reason">
            The screen locked after {lock.minutes === 1 ? '1 minute' : `${lock.minutes} minutes`} without use, to keep {lock.name}&rsquo;s
            session safe. Everything recorded is kept: type your PIN to carry on.
          </p>
        )}
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
          <input ref={pinField} type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
