// The words of the "Sync status" (contracts.md §6): Offline, Syncing, Up to date or N waiting,
// then "· N refused" when the server refused anything made here ("N refused" alone when
// nothing else is to be said). Never "Up to date" while anything waits or is refused.
import type { SyncStatus } from '../../../../shared/api/types';

export function statusText(s: Pick<SyncStatus, 'state' | 'waiting' | 'refused'>): string {
  const refused = s.refused > 0 ? `${s.refused} refused` : null;
  const headline = ((): string | null => {
    switch (s.state) {
      case 'syncing':
        return 'Syncing';
      case 'up_to_date':
        return s.waiting > 0 ? `${s.waiting} waiting` : refused ? null : 'Up to date';
      case 'waiting':
        return s.waiting > 0 || !refused ? `${s.waiting} waiting` : null;
      case 'offline':
      case 'not_enrolled':
      case 'stopped':
        return 'Offline';
    }
  })();
  return [headline, refused].filter((w) => w !== null).join(' · ');
}

/** What the engine knows, as the engine holds it. */
export interface EngineFacts {
  /** the engine's own state (its last cycle's end, or what it does now) */
  state: SyncStatus['state'];
  waiting: number;
  refused: number;
  latestRefusal: () => string | null;
  lastError: string | null;
  lastSuccessAt: string | null;
  clock: SyncStatus['clock'];
}

/**
 * The status the screens show. Up to date only when nothing made here waits or was refused,
 * after a success: derived from the counts now, so a scan between two cycles is never hidden
 * behind "Up to date".
 */
export function deriveStatus(f: EngineFacts): SyncStatus {
  const lastError =
    f.lastError ??
    (f.refused > 0 ? `${f.refused} item${f.refused === 1 ? ' was' : 's were'} refused by the server (latest: ${f.latestRefusal() ?? 'no reason'}); a supervisor can see them and send them again` : null);
  const quiet = f.waiting === 0 && f.refused === 0 && f.lastError === null && f.lastSuccessAt !== null;
  const state: SyncStatus['state'] = f.state === 'waiting' || f.state === 'up_to_date' ? (quiet ? 'up_to_date' : 'waiting') : f.state;
  const s = { state, waiting: f.waiting, refused: f.refused, lastSuccessAt: f.lastSuccessAt, lastError, clock: f.clock };
  return { ...s, text: statusText(s) };
}
