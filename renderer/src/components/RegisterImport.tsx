// Loading the register copy: from a CSV file (chosen through the transport's file chooser)
// or from the central server; one progress bar fed by the core's `registerProgress` events,
// a cancel button while a file import runs, and bad rows listed with their line numbers.
// One sentence at a time: the core's own words once it has them, the counts only while running;
// the bar is full only for a finished import (a failed one empties it).
import { useEffect, useState } from 'react';
import type { RegisterProgress } from '../../../shared/api/types';
import { useApi } from '../api/context';
import { useCancelRegisterImportMutation, useImportRegisterMutation, useRegisterProgressQuery } from '../api/queries/register';
import { count } from '../lib/format';
import { useAppStore } from '../state/app-store';
import { ErrorText } from './ErrorText';

const STATE_WORDS: Record<RegisterProgress['state'], string> = {
  idle: 'No import running.',
  running: 'Importing…',
  done: 'Register loaded.',
  failed: 'The import failed: nothing changed.',
  cancelled: 'The import was cancelled: nothing changed.',
};

/** What the import is doing, in one sentence (never the state's words and the core's again). */
function progressWords(p: RegisterProgress, fraction: number | null): string {
  if (p.state === 'running') {
    const what = p.message ?? (p.source === 'server' ? 'Loading the register from the central server' : 'Importing');
    return `${what}: ${count(p.rowsDone)} rows${fraction !== null ? ` (${Math.round(fraction * 100)} %)` : ''}…`;
  }
  if (p.state === 'idle') return '';
  return p.message ?? `${STATE_WORDS[p.state]}${p.state === 'done' ? ` ${count(p.rowsDone)} rows.` : ''}`;
}

export function RegisterImport() {
  const state = useAppStore((s) => s.state);
  const refresh = useAppStore((s) => s.refresh);
  const api = useApi();
  // asked when shown, then written by the core's pushes (and by the answers to import and cancel)
  const progress = useRegisterProgressQuery().data ?? null;
  const importFile = useImportRegisterMutation();
  const cancelImport = useCancelRegisterImportMutation();
  const [error, setError] = useState<string | null>(null);

  // a register loaded changes the app's state (the scan screen may start)
  const done = progress?.state === 'done';
  useEffect(() => {
    if (done) void refresh();
  }, [done, refresh]);

  const choose = async () => {
    setError(null);
    let chosen: Awaited<ReturnType<typeof api.chooseRegisterFile>>;
    try {
      chosen = await api.chooseRegisterFile();
    } catch (e) {
      // the headless host refused the upload (too large, broken off): its words
      return setError((e as Error).message);
    }
    if (!chosen) return;
    const r = await importFile.mutateAsync(chosen.fileName ? { fileToken: chosen.fileToken, fileName: chosen.fileName } : { fileToken: chosen.fileToken });
    if (!r.ok) setError(r.error.message);
  };
  const cancel = async () => {
    const r = await cancelImport.mutateAsync({});
    if (!r.ok) setError(r.error.message);
  };

  const running = progress?.state === 'running';
  const fraction = progress?.totalBytes ? Math.min(1, progress.bytesDone / progress.totalBytes) : null;
  return (
    <section className="panel" aria-labelledby="register-heading">
      <h3 id="register-heading">Register</h3>
      <p>
        {count(state!.registerRows)} packs in this workstation's register copy.
        {state!.workstation.enrolled ? ' It is loaded from the central server after enrolment and kept up to date by sync.' : ' Load the register file (CSV) given by the election office.'}
      </p>
      <div className="row">
        <button type="button" onClick={choose} disabled={running}>
          Import register file
        </button>
        {running && progress?.source === 'file' && (
          <button type="button" className="secondary" onClick={cancel}>
            Cancel import
          </button>
        )}
      </div>
      <div className="progress-line">
        <progress aria-label="Register import" max={1} value={progress?.state === 'done' ? 1 : running ? (fraction ?? undefined) : 0} />
        <span aria-live="polite">{progress ? progressWords(progress, fraction) : ''}</span>
      </div>
      {progress && progress.errors.length > 0 && (
        <div role="alert" className="error">
          <p>The bad rows{progress.errors.length > 20 ? ' (the first 20)' : ''}, to correct in the file:</p>
          <ul>
            {progress.errors.slice(0, 20).map((e) => (
              <li key={e.line}>
                line {e.line}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ErrorText error={error} />
    </section>
  );
}
