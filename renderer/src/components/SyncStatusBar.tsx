// `Sync status` (contracts.md §6), on every screen: the words of the core (Offline,
// Syncing, Up to date, N waiting), then the last success and the last error, and `Sync now`.
import { useEffect } from 'react';
import { ago } from '../lib/format';
import { useSyncStore } from '../state/sync-store';

export function SyncStatusBar({ signedIn }: { signedIn: boolean }) {
  const { status, error, busy, load, syncNow } = useSyncStore();
  useEffect(() => {
    void load();
  }, [load]);
  const state = status?.state ?? 'offline';
  return (
    <div className={`sync sync-${state}`}>
      <span role="status" aria-label="Sync status" className="sync-text">
        {status?.text ?? 'Offline'}
      </span>
      <span className="sync-detail">
        {status ? `last success ${ago(status.lastSuccessAt)}` : 'sync status unknown'}
        {status?.lastError && <span className="sync-error"> · last error: {status.lastError}</span>}
        {!status && error && <span className="sync-error"> · {error}</span>}
      </span>
      {signedIn && (
        <button type="button" className="secondary" onClick={() => void syncNow()} disabled={busy}>
          Sync now
        </button>
      )}
    </div>
  );
}
