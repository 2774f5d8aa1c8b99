// The supervisor's settings: the election (enrolment or offline), the register copy, and
// how the desk behaves (sound, idle lock, repeat-read window, camera decoder).
import { showFingerprint } from '../../../shared/security/server-key';
import { useState, type FormEvent } from 'react';
import { REPEAT_WINDOW_MIN_SECONDS } from '../../../shared/domain';
import type { DecoderName } from '../camera/decoder';
import { useUpdateSettingsMutation } from '../api/queries/session';
import { ErrorText } from '../components/ErrorText';
import { Field } from '../components/Field';
import { RegisterImport } from '../components/RegisterImport';
import { WorkstationSetup } from '../components/WorkstationSetup';
import { dateTimeOf } from '../lib/format';
import { useAppStore } from '../state/app-store';

/** The camera decoders as people choose them; the library behind each is in docs/camera.md. */
const DECODER_OPTIONS: ReadonlyArray<{ value: DecoderName; label: string }> = [
  { value: 'zxing-wasm', label: 'Standard reader (recommended: reads the most envelopes)' },
  { value: 'zxing-js', label: 'Compatibility reader (for a computer where the standard one does not start)' },
];

export function SettingsScreen() {
  const state = useAppStore((s) => s.state);
  const refresh = useAppStore((s) => s.refresh);
  const ws = state!.workstation;
  const settings = state!.settings;
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const updateSettings = useUpdateSettingsMutation();

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await updateSettings.mutateAsync({
      muted: f.get('muted') === 'on',
      idleLockMinutes: Number(f.get('idle')),
      repeatWindowSeconds: Number(f.get('repeat')),
      decoder: String(f.get('decoder')) as DecoderName,
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
          {ws.enrolled
            ? `Enrolled with ${ws.serverUrl}${ws.centreName ? ` for ${ws.centreName}` : ''}: the central server sets the election and its closing time.`
            : 'Not enrolled: working offline.'}
        </p>
        {ws.enrolled && ws.serverKey ? (
          <p>
            Server key (pinned at enrolment): <span className="fingerprint">{showFingerprint(ws.serverKey)}</span>. It must be the key printed with the
            enrolment code; this desk sends nothing to a server showing another.
          </p>
        ) : null}
        <details>
          <summary>{ws.enrolled ? 'Enrol again, or leave enrolment to work offline' : 'Enrol with the central server, or change the offline election'}</summary>
          <WorkstationSetup />
        </details>
      </section>
      <RegisterImport />
      <form className="panel" onSubmit={save} noValidate aria-labelledby="s-desk">
        <h2 id="s-desk">The desk</h2>
        <label className="check">
          <input type="checkbox" name="muted" defaultChecked={settings.muted} /> Mute the verdict sounds
        </label>
        <Field label="Lock the screen after idle minutes" name="idle" type="number" min={1} max={240} defaultValue={settings.idleLockMinutes} />
        <Field
          label="Repeat-read window in seconds"
          name="repeat"
          type="number"
          min={REPEAT_WINDOW_MIN_SECONDS}
          max={3600}
          defaultValue={settings.repeatWindowSeconds}
          hint={`A second read of the same envelope within this time is 'Already recorded', not a duplicate. At least ${REPEAT_WINDOW_MIN_SECONDS} seconds, so that a scanner reading one envelope twice never makes a duplicate flag.`}
        />
        <Field label="Camera decoder" name="decoder" options={DECODER_OPTIONS} defaultValue={settings.decoder} />
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
