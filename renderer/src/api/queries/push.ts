// How the renderer hears the core's push events, for the query cache: a status pushed is
// written into the cache as it is (no call); a change invalidates the queries that show it.
// The figures the dashboard polls are asked again only while someone is at the screen (a
// background call would keep an idle session awake, state/idle.ts); for someone away they are
// only marked out of date, and asked again at their first key or click. (The app's own state —
// session ended, workstation or audit changed — is the app store's: App.tsx listens for it.)
import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient, OperationName } from '../../../../shared/api/contract';
import { personIsThere } from '../../state/idle';
import { invalidate } from './core';
import { setRegisterProgress } from './register';
import { setSyncStatus } from './sync';

/** asked again at once when flags change: the review table follows the desk live, as it always did */
const FLAGS = ['listFlags'] as const satisfies readonly OperationName[];
/** the rest a raised or decided flag changes, asked again only for someone at the screen */
const FIGURES_ON_FLAGS = ['getFlag', 'listBatches', 'dashboard'] as const satisfies readonly OperationName[];
const FIGURES_ON_SYNC = ['dashboard', 'listRefused'] as const satisfies readonly OperationName[];

export function listenForPushes(client: QueryClient, api: ApiClient, someoneThere: () => boolean = personIsThere): () => void {
  const deferred = new Set<OperationName>();
  const whileThere = (names: readonly OperationName[]) => {
    if (someoneThere()) return void invalidate(client, ...names);
    for (const name of names) {
      deferred.add(name);
      void client.invalidateQueries({ queryKey: [name], refetchType: 'none' });
    }
  };
  const back = () => {
    if (deferred.size === 0) return;
    const names = [...deferred];
    deferred.clear();
    void invalidate(client, ...names);
  };
  window.addEventListener('keydown', back, true);
  window.addEventListener('pointerdown', back, true);
  const off = api.subscribe((e) => {
    switch (e.type) {
      case 'syncStatus':
        setSyncStatus(client, e.status);
        return whileThere(FIGURES_ON_SYNC);
      case 'registerProgress':
        return setRegisterProgress(e.progress, client);
      case 'flagsChanged':
        void invalidate(client, ...FLAGS);
        return whileThere(FIGURES_ON_FLAGS);
      case 'auditStatus':
        return whileThere(['verifyAudit']);
    }
  });
  return () => {
    off();
    window.removeEventListener('keydown', back, true);
    window.removeEventListener('pointerdown', back, true);
  };
}
