// What the whole app needs to know to choose a screen: the core's AppState. Refreshed after
// anything that changes who is signed in, the workstation, or the tray.
import { create } from 'zustand';
import type { AppState } from '../../../shared/api/types';
import { call } from '../api/client';

interface AppStore {
  state: AppState | null;
  loadError: string | null;
  refresh(): Promise<void>;
}

export const useAppStore = create<AppStore>((set) => ({
  state: null,
  loadError: null,
  async refresh() {
    const r = await call('getState', {});
    if (r.ok) set({ state: r.value, loadError: null });
    else set({ loadError: r.error.message });
  },
}));
