// Trays: the list, one tray's counts now, opening and closing.
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../context';
import { apiQuery, useApiMutation } from './core';

export function useBatchesQuery() {
  const api = useApi();
  return useQuery(apiQuery(api, 'listBatches', {}));
}

export function useBatchQuery(batchId: string | null) {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'getBatch', { batchId: batchId ?? '' }), enabled: batchId !== null });
}

export function useOpenBatchMutation() {
  return useApiMutation('openBatch', ['listBatches', 'dashboard']);
}

export function useCloseBatchMutation() {
  return useApiMutation('closeBatch', ['listBatches', 'getBatch', 'dashboard']);
}
