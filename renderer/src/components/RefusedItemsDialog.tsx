// What the central server refused of what was made here, for supervisors: each receipt or
// decision with the server's own words, and `Send again` (one, or all): a refusal caused by a
// server or register since fixed heals, and the desk records who sent what again.
import { useState } from 'react';
import { useRefusedQuery, useResendRefusedMutation } from '../api/queries/sync';
import { dateTimeOf } from '../lib/format';
import { Dialog } from './Dialog';
import { ErrorText } from './ErrorText';

export function RefusedItemsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  // asked each time the dialog opens; asked again after sending (the mutation invalidates it)
  const refused = useRefusedQuery(open);
  const items = refused.data ?? null;
  const resendMutation = useResendRefusedMutation();
  const [resendError, setResendError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const error = resendError ?? refused.error?.message ?? null;

  const resend = async (outboxSeqs: number[]) => {
    const r = await resendMutation.mutateAsync({ outboxSeqs });
    if (!r.ok) return setResendError(r.error.message);
    setResendError(null);
    setSaid(`${r.value.resent} sent again: the status says when the server has them.`);
  };

  return (
    <Dialog title="Refused items" open={open} onClose={() => (setSaid(null), onClose())}>
      <div className="dialog-body">
        <p>
          The central server refused these, made at this desk. Its words are beside each one. When the cause is fixed (a register
          corrected, a server mended), send them again; each sending is recorded in the audit log.
        </p>
        <ErrorText error={error} />
        {said && <p role="status">{said}</p>}
        {items && items.length === 0 && <p>Nothing made here is refused.</p>}
        {items && items.length > 0 && (
          <table className="data" aria-label="Refused items">
            <thead>
              <tr>
                <th scope="col">Envelope</th>
                <th scope="col">What</th>
                <th scope="col">Made</th>
                <th scope="col">The central server said</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.outboxSeq}>
                  <td>{i.display ?? '—'}</td>
                  <td>{i.what}</td>
                  <td>{dateTimeOf(i.madeAt)}</td>
                  <td>{i.reason}</td>
                  <td>
                    <button type="button" className="secondary" aria-label={`Send again ${i.display ?? ''} ${i.what}`.replace(/\s+/g, ' ')} onClick={() => void resend([i.outboxSeq])}>
                      Send again
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="row">
          {items && items.length > 1 && (
            <button type="button" onClick={() => void resend(items.map((i) => i.outboxSeq))}>
              Send all again
            </button>
          )}
          <button type="button" className="secondary" onClick={() => (setSaid(null), onClose())}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
