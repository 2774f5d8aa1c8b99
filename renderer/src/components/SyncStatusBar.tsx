// `Sync status` (contracts.md §6), on every screen: the core's words (Offline, Syncing, Up to
// date or N waiting, then "N refused"), followed in the same status by what is wrong in words
// (why the server cannot be reached, what it refused) and how far this computer's clock is off
// the server's; then the last success, `Refused items` for supervisors, and `Sync now`.
import { useEffect, useState } from 'react';
import { ago } from '../lib/format';
import { useAppStore } from '../state/app-store';
import { useSyncStore } from '../state/sync-store';
import { RefusedItemsDialog } from './RefusedItemsDialog';

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function SyncStatusBar({ signedIn }: { signedIn: boolean }) {
  const { status, error, busy, load, syncNow } = useSyncStore();
  const supervisor = useAppStore((s) => s.state?.session?.role === 'supervisor');
  const [showRefused, setShowRefused] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  const state = status?.state ?? 'offline';
  const refused = status?.refused ?? 0;
  const clockWarning = status?.clock?.warning ?? null;
  return (
    <div className={`sync sync-${state}${refused > 0 ? ' sync-refused' : ''}`}>
      <span role="status" aria-label="Sync status" className="sync-text">
        <strong>{status?.text ?? 'Offline'}</strong>
        {status?.lastError && <span className="sync-error"> — {status.lastError}</span>}
        {clockWarning && <span className="sync-clock"> — {sentence(clockWarning)}.</span>}
      </span>
      <span className="sync-detail">
        {status ? `last success ${ago(status.lastSuccessAt)}` : 'sync status unknown'}
        {!status && error && <span className="sync-error"> · {error}</span>}
      </span>
      {signedIn && supervisor && refused > 0 && (
        <button type="button" className="secondary" onClick={() => setShowRefused(true)}>
          Refused items
        </button>
      )}
      {signedIn && (
        <button type="button" className="secondary" onClick={() => void syncNow()} disabled={busy}>
          Sync now
        </button>
      )}
      {signedIn && supervisor && <RefusedItemsDialog open={showRefused} onClose={() => setShowRefused(false)} />}
    </div>
  );
}
