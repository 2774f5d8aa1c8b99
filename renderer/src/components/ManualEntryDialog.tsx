// Manual entry for a damaged barcode: the printed number typed twice (they must match, so
// one slip cannot record another member's envelope) and a reason; recorded with source manual.
import { useState, type FormEvent } from 'react';
import { normaliseBarcodeInput } from '../../../shared/barcode/barcode';
import { call } from '../api/client';
import { useScanStore } from '../state/scan-store';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

export function ManualEntryDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const barcode = String(f.get('barcode') ?? '');
    const repeatBarcode = String(f.get('repeat') ?? '');
    const reason = String(f.get('reason') ?? '');
    if (normaliseBarcodeInput(barcode) !== normaliseBarcodeInput(repeatBarcode)) {
      return setError('The two numbers do not match: type the number again.');
    }
    const r = await call('recordManualEntry', { barcode, repeatBarcode, reason });
    if (!r.ok) return setError(r.error.message);
    useScanStore.getState().show(r.value, 'manual');
    setError(null);
    onClose();
  };
  return (
    <Dialog title="Manual entry" open={open} onClose={() => (setError(null), onClose())}>
      <form onSubmit={submit}>
        <p>Type the number printed under the bars, e.g. 1022-000123456-1-88.</p>
        <Field label="Barcode number" name="barcode" autoComplete="off" required autoFocus />
        <Field label="Repeat barcode number" name="repeat" autoComplete="off" required />
        <Field label="Reason" name="reason" placeholder="e.g. barcode torn" required />
        <ErrorText error={error} />
        <div className="row">
          <button type="submit">Record</button>
          <button type="button" className="secondary" onClick={() => (setError(null), onClose())}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
