// Opening a tray (label, optional expected count) and closing it with the physical count;
// a discrepancy between the count and the scans is shown before and after it is recorded.
import { useState, type FormEvent } from 'react';
import type { BatchSummary } from '../../../shared/api/types';
import { call } from '../api/client';
import { useAppStore } from '../state/app-store';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

export function OpenBatchDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const refresh = useAppStore((s) => s.refresh);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const expected = String(f.get('expected') ?? '').trim();
    if (expected && !/^[0-9]+$/.test(expected)) return setError('The expected count is a whole number (or leave it empty).');
    const r = await call('openBatch', { label: String(f.get('label') ?? ''), expectedCount: expected ? Number(expected) : null });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    onClose();
    await refresh();
  };
  return (
    <Dialog title="Open batch" open={open} onClose={() => (setError(null), onClose())}>
      <form onSubmit={submit}>
        <Field label="Batch label" name="label" required autoFocus hint="The label on the tray, e.g. T-014" />
        <Field label="Expected count" name="expected" inputMode="numeric" hint="Optional: envelopes in the tray, if counted" />
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
