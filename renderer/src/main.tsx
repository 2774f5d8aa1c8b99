import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { api } from './api/client';
import { ApiProvider } from './api/context';
import { createQueryClient } from './api/queries/query-client';
import { listenForPushes } from './api/queries/push';
import { initAppStore } from './state/app-store';
import { initUiStore } from './state/ui-store';
import './styles.css';

// The stores and the query cache (whose sync status the pushes write) listen to the core's pushes and the address from here, once,
// before the first render (never as a side effect of being imported).
initAppStore();
initUiStore();
// The one query cache: every screen's reads of the core (api/queries/).
const queryClient = createQueryClient();
listenForPushes(queryClient, api);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={api}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ApiProvider>
  </StrictMode>,
);
