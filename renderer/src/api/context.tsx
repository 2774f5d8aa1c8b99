// The API client reaches components through React's context, so a test can give a fake one
// (test/renderer/fake-api.ts) and the screens cannot tell. main.tsx gives the real transport.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { ApiClient } from '../../../shared/api/contract';
import { noteCall } from './activity';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

/** The transport as given, calls not noted: only for probes that must not keep an idle session awake. */
export function useUntrackedApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi() is used outside <ApiProvider>: main.tsx (or the test) gives the client.');
  return client;
}

/** The API client; every call keeps the session awake (the idle lock counts calls, api/activity.ts). */
export function useApi(): ApiClient {
  const client = useUntrackedApi();
  return useMemo<ApiClient>(
    () => ({
      ...client,
      call: (name, input) => {
        noteCall();
        return client.call(name, input);
      },
      subscribe: (listener) => client.subscribe(listener),
      chooseRegisterFile: () => client.chooseRegisterFile(),
      saveExport: (e) => client.saveExport(e),
    }),
    [client],
  );
}
