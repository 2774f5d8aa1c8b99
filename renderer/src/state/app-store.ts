// What the whole app needs to know to choose a screen: the core's AppState. Refreshed after
// anything that changes who is signed in, the workstation, or the tray. Also who was locked
// out by the idle lock, so the lock screen can name them and say why (issue 14 item 2).
import { create } from 'zustand';
import type { AppState, SessionInfo } from '../../../shared/api/types';
import { api, call } from '../api/client';

export interface IdleLock {
  personId: string;
  name: string;
  /** the idle time after which the screen locked */
  minutes: number;
  at: string;
}

interface AppStore {
  state: AppState | null;
  loadError: string | null;
  /** the idle lock that ended the last session (null after signing out or in) */
  lock: IdleLock | null;
  /** the last person signed in at this screen: the one an idle lock locked out */
  lastSession: SessionInfo | null;
  refresh(): Promise<void>;
}

export const useAppStore = create<AppStore>((set) => ({
  state: null,
  loadError: null,
  lock: null,
  lastSession: null,
  async refresh() {
    const r = await call('getState', {});
    if (!r.ok) return set({ loadError: r.error.message });
    set({ state: r.value, loadError: null, ...(r.value.session ? { lock: null, lastSession: r.value.session } : {}) });
  },
}));

/** Marks the session that just ended as locked for idleness (from the core's push, or its refusal). */
export function noteIdleLock(): void {
  const was = useAppStore.getState().lastSession;
  if (!was) return;
  const minutes = useAppStore.getState().state?.settings.idleLockMinutes ?? 0;
  useAppStore.setState({ lock: { personId: was.personId, name: was.name, minutes, at: new Date().toISOString() } });
}

/** Listens to the core's pushes (called once by main.tsx, not on import); returns the way to stop. */
export function initAppStore(): () => void {
  return api.subscribe((e) => {
    if (e.type !== 'sessionEnded') return;
    if (e.reason === 'idle') noteIdleLock();
    else useAppStore.setState({ lock: null });
  });
}
