// The pieces every operation's hook is made of (one hook per operation, in the files beside
// this one, as vxsuite's frontends do in their api.ts).
//
// How a refusal travels. Reads: the query function throws an ApiFailure carrying the core's
// ApiError, so TanStack Query keeps the last good answer in `data` and puts the refusal in
// `error` — `error.message` is the core's own words, shown as before. Writes: the mutation
// resolves with the Result itself (ApiResult); the form reads `ok` and shows `error.message`
// beside its button as it always did, and the queries a write changes are invalidated only
// when it succeeded. Nothing outside this folder throws or catches for an expected refusal.
import { useMutation, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { ApiClient, ApiResult, OperationInput, OperationName, OperationOutput } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/types';
import { useApi } from '../context';

/** A read the core refused (or could not answer): its words are the message. */
export class ApiFailure extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
    this.name = 'ApiFailure';
  }
}

/**
 * Every query's key is `[operation, input]`: stable (the input's values, not its identity)
 * and invalidated by its first part, the operation's name (`invalidate(client, 'listFlags')`).
 */
export function keyOf<K extends OperationName>(name: K, input: OperationInput<K>): readonly [K, OperationInput<K>] {
  return [name, input] as const;
}

/** The query options of one operation: its key, and a query function that throws the refusal. */
export function apiQuery<K extends OperationName>(api: ApiClient, name: K, input: OperationInput<K>) {
  return {
    queryKey: keyOf(name, input) as QueryKey,
    queryFn: async (): Promise<OperationOutput<K>> => {
      const r = await api.call(name, input);
      if (!r.ok) throw new ApiFailure(r.error);
      return r.value as OperationOutput<K>;
    },
  };
}

/** Marks every query of these operations out of date; the ones on screen ask again. */
export function invalidate(client: QueryClient, ...names: OperationName[]): Promise<void> {
  return Promise.all(names.map((name) => client.invalidateQueries({ queryKey: [name] }))).then(() => undefined);
}

/**
 * A write as a mutation: it resolves with the core's Result, and when that is ok the queries
 * of `changes` are invalidated (the write changed what they show).
 */
export function useApiMutation<K extends OperationName>(
  name: K,
  changes: readonly OperationName[],
  /** what else an accepted write tells the cache (e.g. the status it answers with) */
  onOk?: (value: OperationOutput<K>, client: QueryClient) => void,
) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation<ApiResult<K>, Error, OperationInput<K>>({
    mutationKey: [name],
    mutationFn: (input) => api.call(name, input),
    onSuccess: (r) => {
      if (!r.ok) return;
      onOk?.(r.value as OperationOutput<K>, client);
      return invalidate(client, ...changes);
    },
  });
}
