// Opening a tray (label, optional expected count) and closing it with what was counted in the
// tray itself and in each of its pockets (SET-ASIDE, LATE: where flagged envelopes were put);
// a discrepancy between the counts and the scans is shown, place by place, before it is recorded.
// While this computer's clock is over 10 minutes off the central server's, a supervisor
// confirms the opening with their name and PIN (every scan in the tray carries that clock).
import { useState, type FormEvent } from 'react';
import type { BatchSummary } from '../../../shared/api/types';
import { BATCH_LABEL_MAX, discrepancyWords, POCKETS, type Pocket } from '../../../shared/places';
import { useBatchQuery, useCloseBatchMutation, useOpenBatchMutation } from '../api/queries/batches';
import { useSignInNamesQuery } from '../api/queries/people';
import { useSyncStatusQuery } from '../api/queries/sync';
import { useAppStore } from '../state/app-store';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

export function OpenBatchDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const refresh = useAppStore((s) => s.refresh);
  const clock = useSyncStatusQuery().data?.clock ?? null;
  const [error, setError] = useState<string | null>(null);
  // the core may ask even when the screen had not heard yet (confirmation_required)
  const [asked, setAsked] = useState(false);
  const confirm = asked || clock?.confirmTrays === true;
  // the names a supervisor chooses from, asked only when a confirmation is needed
  const people = useSignInNamesQuery(open && confirm).data ?? [];
  const openBatch = useOpenBatchMutation();
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
    const r = await openBatch.mutateAsync({
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
        <Field label="Batch label" name="label" maxLength={BATCH_LABEL_MAX} required autoFocus hint="The label on the tray, e.g. T-014" />
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
        <div className="dialog-buttons">
          <button type="submit">Start batch</button>
          <button type="button" className="secondary" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const whole = (text: string): number | null => (/^[0-9]+$/.test(text.trim()) ? Number(text.trim()) : null);

export function CloseBatchDialog({ open, batch, onClose }: { open: boolean; batch: BatchSummary | null; scanned?: number; onClose(closed: BatchSummary | null): void }) {
  const refresh = useAppStore((s) => s.refresh);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [pocketTyped, setPocketTyped] = useState<Record<Pocket, string>>({ 'SET-ASIDE': '', LATE: '' });
  // the tray's counts now: the screen's copy is from when the tray was opened
  const counts = useBatchQuery(open && batch ? batch.id : null);
  const now = counts.data ?? null;
  const closeBatch = useCloseBatchMutation();
  const physical = whole(typed);
  // an empty pocket may be left empty: it counts as 0
  const pockets = Object.fromEntries(POCKETS.map((p) => [p, pocketTyped[p].trim() === '' ? 0 : whole(pocketTyped[p])])) as Record<Pocket, number | null>;
  const envelopes = now?.envelopeCount ?? null;
  const total = physical !== null && POCKETS.every((p) => pockets[p] !== null) ? physical + POCKETS.reduce((s, p) => s + pockets[p]!, 0) : null;
  const placeWords =
    now && total !== null
      ? discrepancyWords(now.places.map((p) => ({ ...p, counted: p.place === 'tray' ? physical : pockets[p.place as Pocket] })))
      : null;
  const reset = () => {
    setError(null);
    setTyped('');
    setPocketTyped({ 'SET-ASIDE': '', LATE: '' });
  };
  const cancel = () => {
    reset();
    onClose(null);
  };
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (physical === null) return setError('Count the envelopes in the tray itself and type the number.');
    const wrong = POCKETS.find((p) => pockets[p] === null);
    if (wrong) return setError(`Type the number of envelopes in the ${wrong} pocket as a whole number, or leave it empty if the pocket is empty.`);
    const r = await closeBatch.mutateAsync({ batchId: batch!.id, physicalCount: physical, pocketCounts: pockets as Record<Pocket, number> });
    if (!r.ok) return setError(r.error.message);
    reset();
    onClose(r.value);
    await refresh();
  };
  const at = (place: string) => now?.places.find((p) => p.place === place)?.expected ?? 0;
  return (
    <Dialog title="Close batch" open={open} onClose={cancel}>
      <form onSubmit={submit}>
        <p>
          Tray <strong>{batch?.label}</strong>: {envelopes ?? '…'} envelopes scanned
          {batch?.expectedCount ? `, ${batch.expectedCount} expected` : ''}
          {now && (
            <>
              {' '}
              — {at('tray')} in the tray itself, {POCKETS.map((p) => `${at(p)} in ${p}`).join(', ')}.
            </>
          )}
        </p>
        <Field
          label="Physical count"
          name="physical"
          inputMode="numeric"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          required
          autoFocus
          hint="Envelopes in the tray itself, not its pockets"
        />
        {POCKETS.map((p) => (
          <Field
            key={p}
            label={`${p} count`}
            name={`pocket-${p}`}
            inputMode="numeric"
            value={pocketTyped[p]}
            onChange={(e) => setPocketTyped({ ...pocketTyped, [p]: e.target.value })}
            hint={`Envelopes in the ${p} pocket of this tray; leave empty if it is empty`}
          />
        ))}
        {total !== null && envelopes !== null && total !== envelopes && (
          <p className="warning">
            {total > envelopes ? `${total - envelopes} more` : `${envelopes - total} fewer`} envelopes than scanned: the discrepancy will be recorded.
          </p>
        )}
        {placeWords && <p className="warning">{placeWords}</p>}
        <ErrorText error={error ?? counts.error?.message} />
        <div className="dialog-buttons">
          <button type="submit">Confirm close</button>
          <button type="button" className="secondary" onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
