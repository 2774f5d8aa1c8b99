// Opening a tray (label, optional expected count) and closing it with the physical count;
// a discrepancy between the count and the scans is shown before and after it is recorded.
// While this computer's clock is over 10 minutes off the central server's, a supervisor
// confirms the opening with their name and PIN (every scan in the tray carries that clock).
import { useEffect, useState, type FormEvent } from 'react';
import type { BatchSummary } from '../../../shared/api/types';
import { call } from '../api/client';
import { useAppStore } from '../state/app-store';
import { useSyncStore } from '../state/sync-store';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

export function OpenBatchDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const refresh = useAppStore((s) => s.refresh);
  const clock = useSyncStore((s) => s.status?.clock ?? null);
  const [error, setError] = useState<string | null>(null);
  // the core may ask even when the screen had not heard yet (confirmation_required)
  const [asked, setAsked] = useState(false);
  const confirm = asked || clock?.confirmTrays === true;
  const [people, setPeople] = useState<Array<{ id: string; name: string }>>([]);
  useEffect(() => {
    if (!open || !confirm) return;
    void call('listSignInNames', {}).then((r) => r.ok && setPeople(r.value));
  }, [open, confirm]);
  const close = () => {
    setError(null);
    setAsked(false);
    onClose();
  };
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const expected = String(f.get('expected') ?? '').trim();
    if (expected && !/^[0-9]+$/.test(expected)) return setError('The expected count is a whole number (or leave it empty).');
    const supervisorId = String(f.get('supervisor') ?? '');
    const pin = String(f.get('supervisorPin') ?? '');
    if (confirm && (!supervisorId || !pin)) return setError('A supervisor must choose their name and type their PIN to confirm.');
    const r = await call('openBatch', {
      label: String(f.get('label') ?? ''),
      expectedCount: expected ? Number(expected) : null,
      ...(confirm ? { clockConfirmation: { supervisorId, pin } } : {}),
    });
    if (!r.ok) {
      if (r.error.code === 'confirmation_required') setAsked(true);
      return setError(r.error.message);
    }
    close();
    await refresh();
  };
  return (
    <Dialog title="Open batch" open={open} onClose={close}>
      <form onSubmit={submit}>
        <Field label="Batch label" name="label" required autoFocus hint="The label on the tray, e.g. T-014" />
        <Field label="Expected count" name="expected" inputMode="numeric" hint="Optional: envelopes in the tray, if counted" />
        {confirm && (
          <fieldset className="confirm-clock">
            <legend>A supervisor confirms</legend>
            <p className="warning">
              {clock?.warning ? `${clock.warning.charAt(0).toUpperCase()}${clock.warning.slice(1)}` : "This computer's clock is far off the central server's"}:
              every scan in this tray is stamped with it. Correct the clock if you can; otherwise a supervisor confirms.
            </p>
            <Field
              label="Supervisor"
              name="supervisor"
              defaultValue=""
              options={[{ value: '', label: 'Choose…' }, ...people.map((p) => ({ value: p.id, label: p.name }))]}
            />
            <Field label="Supervisor PIN" name="supervisorPin" type="password" inputMode="numeric" autoComplete="off" />
          </fieldset>
        )}
        <ErrorText error={error} />
        <button type="submit">Start batch</button>
      </form>
    </Dialog>
  );
}

export function CloseBatchDialog({ open, batch, scanned, onClose }: { open: boolean; batch: BatchSummary | null; scanned: number; onClose(closed: BatchSummary | null): void }) {
  const refresh = useAppStore((s) => s.refresh);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const physical = /^[0-9]+$/.test(typed) ? Number(typed) : null;
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (physical === null) return setError('Count the envelopes in the tray and type the number.');
    const r = await call('closeBatch', { batchId: batch!.id, physicalCount: physical });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setTyped('');
    onClose(r.value);
    await refresh();
  };
  return (
    <Dialog title="Close batch" open={open} onClose={() => (setError(null), onClose(null))}>
      <form onSubmit={submit}>
        <p>
          Tray <strong>{batch?.label}</strong>: {scanned} envelopes scanned
          {batch?.expectedCount ? `, ${batch.expectedCount} expected` : ''}.
        </p>
        <Field label="Physical count" name="physical" inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value)} required autoFocus />
        {physical !== null && physical !== scanned && (
          <p className="warning">
            {physical > scanned ? `${physical - scanned} more` : `${scanned - physical} fewer`} envelopes than scanned: the discrepancy will be recorded.
          </p>
        )}
        <ErrorText error={error} />
        <button type="submit">Confirm close</button>
      </form>
    </Dialog>
  );
}
