// `Sync status` (contracts.md §6), on every screen: the core's words (Offline, Syncing, Up to
// date or N waiting, then "N refused"), always with how many envelopes and decisions wait to
// be sent (issue 14 item 7) — short, so the header never wraps. What is wrong in words (why the
// server cannot be reached, what it refused, the clock), and the last success, are the detail
// on demand behind `Details`: part of the status (its text), shown only when asked for. A desk
// set up to work offline says so instead of "last success never". While the desk's core does
// not answer this screen, the header says so in red rather than repeat its last good news.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { SyncStatus } from '../../../shared/api/types';
import { useUntrackedApi } from '../api/context';
import { setSyncStatus, useSyncNowMutation, useSyncStatusQuery } from '../api/queries/sync';
import { ago } from '../lib/format';
import { useAppStore } from '../state/app-store';
import { useDeskHealth } from '../state/desk-health';
import { RefusedItemsDialog } from './RefusedItemsDialog';

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The headline: the core's words, with `N waiting` whenever the state alone would hide it. */
export function syncHeadline(status: SyncStatus | null, deskResponding: boolean): string {
  if (!deskResponding || !status) return 'Offline';
  if (status.state === 'up_to_date' || /\d+ waiting/.test(status.text)) return status.text;
  return `${status.text} · ${status.waiting} waiting`;
}

export function SyncStatusBar({ signedIn }: { signedIn: boolean }) {
  // asked each time the bar appears (signing in, a screen of its own), then kept by the pushes
  const statusQuery = useSyncStatusQuery({ refetchOnMount: 'always' });
  const status = statusQuery.data ?? null;
  const syncNow = useSyncNowMutation();
  const [nowRefused, setNowRefused] = useState<string | null>(null);
  const error = nowRefused ?? statusQuery.error?.message ?? null;
  const untracked = useUntrackedApi();
  const queryClient = useQueryClient();
  const supervisor = useAppStore((s) => s.state?.session?.role === 'supervisor');
  const responding = useDeskHealth((s) => s.responding);
  const restarted = useDeskHealth((s) => s.restarted);
  const [showRefused, setShowRefused] = useState(false);
  const [showWhy, setShowWhy] = useState(false);
  const whyId = useId();
  // While the core does not answer, ask it every few seconds, so the header calms down as soon
  // as it answers (only then: background calls would keep an idle session open).
  // (The probe is not noted as the person's call: it must not keep an idle session awake.)
  useEffect(() => {
    if (responding) return;
    const probe = setInterval(() => {
      void untracked.call('syncStatus', {}).then((r) => r.ok && setSyncStatus(queryClient, r.value));
    }, 3_000);
    return () => clearInterval(probe);
  }, [responding, untracked, queryClient]);
  const sendNow = async () => {
    const r = await syncNow.mutateAsync({});
    setNowRefused(r.ok ? null : r.error.message);
  };
  const state = !responding ? 'stopped' : (status?.state ?? 'offline');
  const refused = status?.refused ?? 0;
  const clockWarning = status?.clock?.warning ?? null;
  const notEnrolled = status?.state === 'not_enrolled';
  // The detail on demand: in the status's text (read with it), shown under it when asked for.
  const details = [
    restarted
      ? 'The desk has restarted, so this address no longer works: open the new address printed where it was started. Envelopes it recorded are kept; any listed as not recorded must be scanned again there.'
      : !responding
        ? 'The desk is not responding to this screen: what it said last may be out of date.'
        : null,
    status?.lastError ?? null,
    clockWarning ? `${sentence(clockWarning)}.` : null,
    !status && error ? error : null,
    status && !notEnrolled && status.state !== 'up_to_date' ? `Last success ${ago(status.lastSuccessAt)}.` : null,
  ].filter((r): r is string => r !== null);
  return (
    <div className={`sync sync-${state}${refused > 0 ? ' sync-refused' : ''}`}>
      <div className="sync-words">
        <span role="status" aria-label="Sync status" className="sync-text">
          <strong>{syncHeadline(status, responding)}</strong>
          {details.length > 0 && (
            <span id={whyId} className="sync-why" hidden={!showWhy}>
              {details.map((r) => (
                <span key={r} className="sync-reason">
                  {' — '}
                  {r}
                </span>
              ))}
            </span>
          )}
        </span>
        {!responding ? (
          <span role="alert" className="sync-detail sync-down">
            {restarted ? 'Desk restarted — open its new address' : 'Desk not responding'}
          </span>
        ) : (
          notEnrolled && <span className="sync-detail">Working offline — not enrolled</span>
        )}
      </div>
      {details.length > 0 && (
        <button
          type="button"
          className="secondary sync-why-button"
          aria-label="Sync details"
          aria-expanded={showWhy}
          aria-controls={whyId}
          onClick={() => setShowWhy(!showWhy)}
        >
          Details
        </button>
      )}
      {signedIn && supervisor && refused > 0 && (
        <button type="button" className="secondary" onClick={() => setShowRefused(true)}>
          Refused items
        </button>
      )}
      {signedIn && (
        <button type="button" className="secondary" onClick={() => void sendNow()} disabled={syncNow.isPending}>
          Sync now
        </button>
      )}
      {signedIn && supervisor && <RefusedItemsDialog open={showRefused} onClose={() => setShowRefused(false)} />}
    </div>
  );
}
