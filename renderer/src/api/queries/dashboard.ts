// The dashboard's figures: this workstation's (every 5 s) and the whole centre's (every 15 s),
// polled only while someone is signed in and at the screen (polling.ts).
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../context';
import { apiQuery, useApiMutation } from './core';
import { usePolling } from './polling';

export function useDashboardQuery(everyMs: number) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'dashboard', {}), refetchInterval: usePolling(everyMs) });
}

export function useCentreFiguresQuery(everyMs: number) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'centreFigures', {}), refetchInterval: usePolling(everyMs) });
}

/** An export is made by the core and handed to the person (saved or downloaded); it changes no query. */
export function useExportMutation() {
  return useApiMutation('exportData', []);
}
