// Sync: the status on every screen (kept fresh by the core's pushes, written into the cache by
// push.ts), sending now, and what the central server refused.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { SyncStatus } from '../../../../shared/api/types';
import { useApi } from '../context';
import { apiQuery, keyOf, useApiMutation } from './core';

/** The status: asked when first shown, then written by the core's pushes (never stale on its own). */
export function useSyncStatusQuery(options: { refetchOnMount?: 'always' } = {}) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'syncStatus', {}), staleTime: Infinity, ...options });
}

/** The status an answer carried, written into the cache as a push would be. */
export function setSyncStatus(client: QueryClient, status: SyncStatus): void {
  client.setQueryData(keyOf('syncStatus', {}), status);
}

export function useSyncNowMutation() {
  return useApiMutation('syncNow', ['dashboard', 'listRefused'], (status, client) => setSyncStatus(client, status));
}

export function useRefusedQuery(enabled: boolean) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'listRefused', {}), enabled });
}

export function useResendRefusedMutation() {
  return useApiMutation('resendRefused', ['listRefused', 'dashboard'], (v, client) => setSyncStatus(client, v.status));
}
