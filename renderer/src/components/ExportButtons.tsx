// Exports for the returning officer and for checking: each written by the core (with its
// SHA-256 in the audit log) and handed over by the transport (save dialog or download).
import { useState } from 'react';
import type { ExportResult } from '../../../shared/api/types';
import { useApi } from '../api/context';
import { useExportMutation } from '../api/queries/dashboard';
import { ErrorText } from './ErrorText';

type What = 'statement_pdf' | 'statement_csv' | 'receipts_csv' | 'flags_csv' | 'audit_jsonl';

const LABELS: Record<What, string> = {
  statement_pdf: 'End-of-day statement (PDF)',
  statement_csv: 'End-of-day statement (CSV)',
  receipts_csv: 'Receipts (CSV)',
  flags_csv: 'Flags and decisions (CSV)',
  audit_jsonl: 'Audit log (JSON lines)',
};

export function ExportButtons({ which }: { which: What[] }) {
  const [busy, setBusy] = useState<What | null>(null);
  const [saved, setSaved] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const api = useApi();
  const exportData = useExportMutation();
  const run = async (what: What) => {
    setBusy(what);
    setError(null);
    setSaved(null);
    const r = await exportData.mutateAsync({ what });
    setBusy(null);
    if (!r.ok) return setError(r.error.message);
    await api.saveExport(r.value);
    setSaved(r.value);
  };
  return (
    <div className="exports">
      <div className="row">
        {which.map((w) => (
          <button key={w} type="button" disabled={busy !== null} onClick={() => void run(w)}>
            {busy === w ? `Writing ${LABELS[w]}…` : LABELS[w]}
          </button>
        ))}
      </div>
      {saved && (
        <p role="status" className="ok">
          Saved {saved.fileName} ({Math.ceil(saved.bytes / 1024)} kB). SHA-256 <code className="hash">{saved.sha256}</code>, recorded in the audit log.
        </p>
      )}
      <ErrorText error={error} />
    </div>
  );
}
