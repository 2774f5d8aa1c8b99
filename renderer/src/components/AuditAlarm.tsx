// The blocking warning when the audit log cannot be trusted: its chain is broken, or it no
// longer contains the head the central server witnessed (history removed or rewritten after
// the server saw it). Shown instead of every screen, as the desktop app refuses to open on a
// broken chain; sync goes on underneath so the server keeps receiving what is here.
import type { AuditStatus } from '../../../shared/api/types';
import { SyncStatusBar } from './SyncStatusBar';

export function AuditAlarm({ audit }: { audit: AuditStatus }) {
  const witnessedLost = audit.witnessed ? !audit.witnessed.contained : false;
  return (
    <main className="centered audit-alarm">
      <section role="alert" aria-labelledby="audit-alarm-title" className="panel">
        <h1 id="audit-alarm-title">{witnessedLost ? 'The audit log lost history the central server had witnessed' : 'The audit log is broken'}</h1>
        <p>
          {audit.firstBrokenSeq !== null ? `At entry ${audit.firstBrokenSeq}: ` : ''}
          {audit.problem ?? 'the audit log does not verify'}.
        </p>
        <p>
          <strong>What to do:</strong> scanning is stopped on this workstation so that the evidence stays as it is. Do not delete or copy
          over the data folder. Call the election supervisor and support, and give them the data folder and the log file.
        </p>
      </section>
      <SyncStatusBar signedIn={false} />
    </main>
  );
}
