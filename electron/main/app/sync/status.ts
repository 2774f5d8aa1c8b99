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
