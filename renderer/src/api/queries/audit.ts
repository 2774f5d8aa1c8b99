// The audit log: a page of entries for a query, and the chain's check.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { OperationInput } from '../../../../shared/api/contract';
import { useApi } from '../context';
import { apiQuery } from './core';

export function useAuditQuery(input: OperationInput<'listAudit'>) {
  const api = useApi();
  // the page shown stays until the next one answers (searching, Newer, Older)
  return useQuery({ ...apiQuery(api, 'listAudit', input), placeholderData: keepPreviousData });
}

/**
 * The check is asked for by a button (`refetch`: it walks the whole chain), never on its own;
 * its answer is forgotten when the screen closes (the screen says "Press Verify" again).
 */
export function useVerifyAuditQuery() {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'verifyAudit', {}), enabled: false, gcTime: 0 });
}
