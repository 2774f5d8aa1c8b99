// The register copy's import: its progress (asked when shown, then written by the core's
// `registerProgress` pushes, push.ts), starting a file's import, cancelling it.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { RegisterProgress } from '../../../../shared/api/types';
import { useApi } from '../context';
import { apiQuery, keyOf, useApiMutation } from './core';

export function useRegisterProgressQuery() {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'registerProgress', {}), staleTime: Infinity, refetchOnMount: 'always' });
}

/** The progress an answer or a push carried, written into the cache. */
export const setRegisterProgress = (progress: RegisterProgress, client: QueryClient) => client.setQueryData(keyOf('registerProgress', {}), progress);

export function useImportRegisterMutation() {
  return useApiMutation('importRegisterFile', [], setRegisterProgress);
}

export function useCancelRegisterImportMutation() {
  return useApiMutation('cancelRegisterImport', [], setRegisterProgress);
}
