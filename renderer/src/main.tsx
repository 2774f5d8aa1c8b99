import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initAppStore } from './state/app-store';
import { initSyncStore } from './state/sync-store';
import { initUiStore } from './state/ui-store';
import './styles.css';

// The stores listen to the core's pushes and the address from here, once, before the first
// render (never as a side effect of being imported).
initAppStore();
initSyncStore();
initUiStore();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
