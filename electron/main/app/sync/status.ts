// The words of the "Sync status" (contracts.md §6): Offline, Syncing, Up to date, N waiting.
import type { SyncStatus } from '../../../../shared/api/types';

export function statusText(s: Pick<SyncStatus, 'state' | 'waiting'>): string {
  switch (s.state) {
    case 'syncing':
      return 'Syncing';
    case 'up_to_date':
      return 'Up to date';
    case 'waiting':
      return `${s.waiting} waiting`;
    case 'offline':
    case 'not_enrolled':
    case 'stopped':
      return 'Offline';
  }
}
