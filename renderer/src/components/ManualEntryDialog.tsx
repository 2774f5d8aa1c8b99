// Manual entry for a damaged barcode: the printed number typed twice (they must match, so
// one slip cannot record another member's envelope) and a reason; recorded with source manual.
// A typed envelope deactivates a member's online code like a scanned one, so a second person
// confirms it in the same dialog: a supervisor other than the signed-in person chooses their
// name and types their PIN (issue 15 item 3). A refusal leaves the dialog open with what was typed.
import { useState, type FormEvent } from 'react';
import { normaliseBarcodeInput } from '../../../shared/barcode/barcode';
import { useRecordManualEntryMutation } from '../api/queries/batches';
import { useConfirmersQuery } from '../api/queries/people';
import { useScanStore } from '../state/scan-store';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';
import { Field } from './Field';

export function ManualEntryDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [error, setError] = useState<string | null>(null);
  // asked each time the dialog opens; none when they cannot be read
  const confirmers = useConfirmersQuery(open);
  const supervisors = confirmers.data ?? (confirmers.isError ? [] : null);
  const recordManualEntry = useRecordManualEntryMutation();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const barcode = String(f.get('barcode') ?? '');
    const repeatBarcode = String(f.get('repeat') ?? '');
    const reason = String(f.get('reason') ?? '');
    const supervisorId = String(f.get('supervisor') ?? '');
    const pin = String(f.get('supervisorPin') ?? '');
    if (normaliseBarcodeInput(barcode) !== normaliseBarcodeInput(repeatBarcode)) {
      return setError('The two numbers do not match: type the number again.');
    }
    if (!supervisorId || !pin) return setError('A supervisor other than you must choose their name and type their PIN to confirm.');
    const r = await recordManualEntry.mutateAsync({ barcode, repeatBarcode, reason, confirmation: { supervisorId, pin } });
    if (!r.ok) return setError(r.error.message);
    // A number the core refused (check digits, wrong length…) was not recorded: the dialog stays
    // open with what was typed, so the operator corrects it rather than typing it all again.
    if (r.value.verdict === 'rejected') return setError(`Not recorded: ${r.value.reason}`);
    useScanStore.getState().show(r.value, 'manual');
    setError(null);
    onClose();
  };
  return (
    <Dialog title="Manual entry" open={open} onClose={() => (setError(null), onClose())}>
      <form onSubmit={submit}>
        <p>Type the number printed under the bars, e.g. 1022-000123456-1-88.</p>
        <Field label="Barcode number" name="barcode" autoComplete="off" maxLength={100} required autoFocus />
        <Field label="Repeat barcode number" name="repeat" autoComplete="off" maxLength={100} required />
        <Field label="Reason" name="reason" placeholder="e.g. barcode torn" maxLength={500} required />
        <fieldset className="confirm-manual">
          <legend>A supervisor confirms</legend>
          {supervisors !== null && supervisors.length === 0 && (
            <p className="warning">No other supervisor works at this desk: a manual entry needs one. Ask a supervisor to add one.</p>
          )}
          <Field
            label="Supervisor"
            name="supervisor"
            defaultValue=""
            options={[{ value: '', label: 'Choose…' }, ...(supervisors ?? []).map((p) => ({ value: p.id, label: p.name }))]}
          />
          <Field label="Supervisor PIN" name="supervisorPin" type="password" inputMode="numeric" autoComplete="off" />
        </fieldset>
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
