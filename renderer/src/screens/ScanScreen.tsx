// The operator's desk: the scanner field, the verdict, the tray and the last scans.
import { useState, type FormEvent } from 'react';
import { call } from '../api/client';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { ScanField } from '../components/ScanField';
import { ScanResult } from '../components/ScanResult';
import { useAppStore } from '../state/app-store';
import { useScanStore } from '../state/scan-store';
import { verdictHeadline } from '../../../shared/api/verdict-text';

export function ScanScreen() {
  const { state, refresh } = useAppStore();
  const { latest, history, error } = useScanStore();
  const [dialog, setDialog] = useState<'open' | 'close' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const batch = state!.openBatch;

  const openBatch = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const expected = String(f.get('expected') ?? '').trim();
    const r = await call('openBatch', { label: String(f.get('label') ?? ''), expectedCount: expected ? Number(expected) : null });
    if (!r.ok) return setFormError(r.error.message);
    setDialog(null);
    await refresh();
  };
  const closeBatch = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await call('closeBatch', { batchId: batch!.id, physicalCount: Number(f.get('physical')) });
    if (!r.ok) return setFormError(r.error.message);
    setDialog(null);
    await refresh();
  };
  const signOut = async () => {
    await call('signOut', {});
    useScanStore.getState().reset();
    await refresh();
  };

  return (
    <main className="desk">
      <header className="topbar">
        <strong>Ballot Intake</strong>
        <span>{state!.workstation.workstationName}</span>
        <span>{state!.session!.name}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <ScanResult shown={latest} />
      {error && <p role="alert" className="error">{error.message}</p>}
      <ScanField keepFocus={dialog === null} />
      <section className="tray">
        {batch ? (
          <span>
            Tray <strong>{batch.label}</strong>: {batch.scannedCount + history.filter((h) => h.verdict.verdict === 'recorded' || h.verdict.verdict === 'flagged').length} scanned
          </span>
        ) : (
          <span>No tray is open.</span>
        )}
        <button type="button" onClick={() => (setFormError(null), setDialog('open'))} disabled={!!batch}>
          Open batch
        </button>
        <button type="button" onClick={() => (setFormError(null), setDialog('close'))} disabled={!batch}>
          Close batch
        </button>
      </section>
      <section aria-label="Last scans">
        <ol className="recent">
          {history.map((h) => (
            <li key={h.id} className={`verdict-${h.verdict.verdict}`}>
              <time>{new Date(h.at).toLocaleTimeString()}</time>{' '}
              <span className="recent-verdict">{`${verdictHeadline(h.verdict)} ${h.verdict.display ?? ''}`.trim()}</span>
            </li>
          ))}
        </ol>
      </section>
      <Dialog title="Open batch" open={dialog === 'open'} onClose={() => setDialog(null)}>
        <form onSubmit={openBatch}>
          <Field label="Batch label" name="label" required autoFocus />
          <Field label="Expected count" name="expected" inputMode="numeric" pattern="[0-9]*" />
          {formError && <p role="alert" className="error">{formError}</p>}
          <button type="submit">Start batch</button>
        </form>
      </Dialog>
      <Dialog title="Close batch" open={dialog === 'close'} onClose={() => setDialog(null)}>
        <form onSubmit={closeBatch}>
          <Field label="Physical count" name="physical" inputMode="numeric" pattern="[0-9]*" required autoFocus />
          {formError && <p role="alert" className="error">{formError}</p>}
          <button type="submit">Confirm close</button>
        </form>
      </Dialog>
    </main>
  );
}
