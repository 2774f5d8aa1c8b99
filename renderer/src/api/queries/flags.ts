// Flags: a page of the review table, one flag's detail, and deciding.
import { useQueries, useQuery } from '@tanstack/react-query';
import type { OperationInput } from '../../../../shared/api/contract';
import { useApi } from '../context';
import { apiQuery, useApiMutation } from './core';

export type FlagFilter = Omit<OperationInput<'listFlags'>, 'offset' | 'limit'>;

/**
 * The pages of the flags table that are wanted now (the rows in view), each a query of its own
 * keyed by the filter and offset: a page scrolled back to comes from the cache, and the pages
 * are asked again when flags change (push.ts) or a decision is recorded.
 */
export function useFlagPagesQuery(filter: FlagFilter, pages: readonly number[], pageSize: number) {
  const api = useApi();
  return useQueries({
    queries: pages.map((page) => ({ ...apiQuery(api, 'listFlags', { ...filter, offset: page * pageSize, limit: pageSize }), staleTime: Infinity })),
  });
}

/** Every flag of one tray (the trays screen's positions). */
export function useTrayFlagsQuery(batchId: string) {
  const api = useApi();
  return useQuery(apiQuery(api, 'listFlags', { batchId, offset: 0, limit: 1000 }));
}

export function useFlagQuery(flagId: string) {
  const api = useApi();
  return useQuery(apiQuery(api, 'getFlag', { flagId }));
}

/** Several flags' details at once (a grouped decision). */
export function useFlagsQuery(flagIds: readonly string[]) {
  const api = useApi();
  return useQueries({ queries: flagIds.map((flagId) => apiQuery(api, 'getFlag', { flagId })) });
}

export function useDecideFlagsMutation() {
  return useApiMutation('decideFlags', ['listFlags', 'getFlag', 'listBatches', 'dashboard']);
}
