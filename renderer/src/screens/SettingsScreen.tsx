// The supervisor's settings: the election (enrolment or offline), the register copy, and
// how the desk behaves (sound, idle lock, repeat-read window, camera decoder).
import { useState, type FormEvent } from 'react';
import { call } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { Field } from '../components/Field';
import { RegisterImport } from '../components/RegisterImport';
import { WorkstationSetup } from '../components/WorkstationSetup';
import { dateTimeOf } from '../lib/format';
import { useAppStore } from '../state/app-store';

export function SettingsScreen() {
  const { state, refresh } = useAppStore();
  const ws = state!.workstation;
  const settings = state!.settings;
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await call('updateSettings', {
      muted: f.get('muted') === 'on',
      idleLockMinutes: Number(f.get('idle')),
      repeatWindowSeconds: Number(f.get('repeat')),
      decoder: String(f.get('decoder')) as 'zxing-wasm' | 'zxing-js',
    });
    if (!r.ok) return (setError(r.error.message), setSaved(false));
    setError(null);
    setSaved(true);
    await refresh();
  };

  return (
    <section className="settings">
      <h1>Settings</h1>
      <section className="panel" aria-labelledby="s-ws">
        <h2 id="s-ws">Workstation and election</h2>
        <p>
          {ws.workstationName}: election {ws.electionNumber ?? '—'} {ws.electionName ? `(${ws.electionName})` : ''}, closes {dateTimeOf(ws.closesAt)}.{' '}
          {ws.enrolled ? `Enrolled with ${ws.serverUrl}${ws.centreName ? ` for ${ws.centreName}` : ''}.` : 'Not enrolled: working offline.'}
        </p>
        <details>
          <summary>Enrol with the central server, or change the offline election</summary>
          <WorkstationSetup />
        </details>
      </section>
      <RegisterImport />
      <form className="panel" onSubmit={save} aria-labelledby="s-desk">
        <h2 id="s-desk">The desk</h2>
        <label className="check">
          <input type="checkbox" name="muted" defaultChecked={settings.muted} /> Mute the verdict sounds
        </label>
        <Field label="Lock the screen after idle minutes" name="idle" type="number" min={1} max={240} defaultValue={settings.idleLockMinutes} />
        <Field label="Repeat-read window in seconds" name="repeat" type="number" min={0} max={3600} defaultValue={settings.repeatWindowSeconds} hint="A second read of the same envelope within this time is 'Already recorded', not a duplicate." />
        <Field
          label="Camera decoder"
          name="decoder"
          options={[
            { value: 'zxing-wasm', label: 'zxing-wasm (default)' },
            { value: 'zxing-js', label: 'zxing-js' },
          ]}
          defaultValue={settings.decoder}
        />
        <ErrorText error={error} />
        {saved && (
          <p role="status" className="ok">
            Settings saved.
          </p>
        )}
        <button type="submit">Save settings</button>
      </form>
    </section>
  );
}
