// A fake API client for the renderer's unit tests: typed by the same contract as the real one,
// it answers each operation with the ApiResult the test gives (a value or a refusal), records
// every call, and pushes events to whoever subscribed — as the core does.
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { ApiClient, ApiResult, OperationInput, OperationName, OperationOutput } from '../../shared/api/contract';
import type { ApiError, PushEvent } from '../../shared/api/types';
import { ApiProvider } from '../../renderer/src/api/context';
import { createQueryClient } from '../../renderer/src/api/queries/query-client';
import { listenForPushes } from '../../renderer/src/api/queries/push';

export type Answers = { [K in OperationName]?: (input: OperationInput<K>) => ApiResult<K> | Promise<ApiResult<K>> };

export interface FakeApi extends ApiClient {
  calls: Array<{ name: OperationName; input: unknown }>;
  /** the calls of one operation, with their inputs */
  callsOf<K extends OperationName>(name: K): Array<OperationInput<K>>;
  /** a push event from the core, to every subscriber */
  push(event: PushEvent): void;
  /** change what an operation answers from now on */
  answer<K extends OperationName>(name: K, fn: (input: OperationInput<K>) => ApiResult<K> | Promise<ApiResult<K>>): void;
}

export const ok = <K extends OperationName>(value: OperationOutput<K>): ApiResult<K> => ({ ok: true, value });
export const refused = (message: string, code: ApiError['code'] = 'conflict') => ({ ok: false as const, error: { code, message } });

export function fakeApi(answers: Answers = {}): FakeApi {
  const table: Answers = { ...answers };
  const listeners = new Set<(e: PushEvent) => void>();
  const calls: FakeApi['calls'] = [];
  return {
    calls,
    callsOf: <K extends OperationName>(name: K) => calls.filter((c) => c.name === name).map((c) => c.input as OperationInput<K>),
    async call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<ApiResult<K>> {
      calls.push({ name, input });
      const answer = table[name] as ((i: OperationInput<K>) => ApiResult<K> | Promise<ApiResult<K>>) | undefined;
      // an operation the test did not expect is a refusal in words, so the screen shows it and the test sees it
      if (!answer) return { ok: false, error: { code: 'unavailable', message: `The fake core was not told how to answer ${name}.` } };
      return answer(input);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(event) {
      for (const l of listeners) l(event);
    },
    answer(name, fn) {
      (table as Record<string, unknown>)[name] = fn;
    },
    chooseRegisterFile: async () => null,
    saveExport: async () => undefined,
  };
}

/**
 * Renders a component as main.tsx does: the (fake) client in the context, a fresh query cache
 * that hears the client's pushes (someone is at the screen unless the test says not).
 */
export function renderWithApi(ui: ReactElement, api: ApiClient, someoneThere = () => true): RenderResult & { queryClient: ReturnType<typeof createQueryClient> } {
  const queryClient = createQueryClient();
  const stopPushes = listenForPushes(queryClient, api, someoneThere);
  const result = render(
    <ApiProvider client={api}>
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </ApiProvider>,
  );
  return {
    ...result,
    queryClient,
    unmount: () => {
      result.unmount();
      stopPushes();
    },
  };
}
