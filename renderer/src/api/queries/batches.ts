// Trays: the list, one tray's counts now, opening and closing.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../context';
import { apiQuery, useApiMutation } from './core';

export function useBatchesQuery() {
  const api = useApi();
  return useQuery(apiQuery(api, 'listBatches', {}));
}

/** One tray's counts now, while its close dialog is open: forgotten when it closes, so it never shows old counts. */
export function useBatchQuery(batchId: string | null) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'getBatch', { batchId: batchId ?? '' }), enabled: batchId !== null, gcTime: 0 });
}

export function useOpenBatchMutation() {
  return useApiMutation('openBatch', ['listBatches', 'dashboard']);
}

export function useCloseBatchMutation() {
  return useApiMutation('closeBatch', ['listBatches', 'getBatch', 'dashboard']);
}

/** A typed envelope (manual entry) is a scan: the trays, flags and figures it lands in change. */
export function useRecordManualEntryMutation() {
  return useApiMutation('recordManualEntry', ['listBatches', 'getBatch', 'listFlags', 'dashboard', 'recentScans']);
}
