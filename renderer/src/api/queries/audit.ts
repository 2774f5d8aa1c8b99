// The audit log: a page of entries for a query, and the chain's check.
import { useQuery } from '@tanstack/react-query';
import type { OperationInput } from '../../../../shared/api/contract';
import { useApi } from '../context';
import { apiQuery } from './core';

export function useAuditQuery(input: OperationInput<'listAudit'>) {
  const api = useApi();
  return useQuery(apiQuery(api, 'listAudit', input));
}

/** The check is asked for by a button (it walks the whole chain), never on its own. */
export function useVerifyAuditQuery() {
  const api = useApi();
  return useQuery({ ...apiQuery(api, 'verifyAudit', {}), enabled: false });
}
