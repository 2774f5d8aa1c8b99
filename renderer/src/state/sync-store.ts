// The sync status shown on every screen: asked once, then kept fresh by the core's
// `syncStatus` push events (no polling, so an idle session can lock).
import { create } from 'zustand';
import type { SyncStatus } from '../../../shared/api/types';
import { api, call } from '../api/client';

interface SyncStore {
  status: SyncStatus | null;
  error: string | null;
  busy: boolean;
  load(): Promise<void>;
  syncNow(): Promise<void>;
}

export const useSyncStore = create<SyncStore>((set) => ({
  status: null,
  error: null,
  busy: false,
  async load() {
    const r = await call('syncStatus', {});
    if (r.ok) set({ status: r.value, error: null });
    else set({ error: r.error.message });
  },
  async syncNow() {
    set({ busy: true });
    const r = await call('syncNow', {});
    if (r.ok) set({ status: r.value, error: null, busy: false });
    else set({ error: r.error.message, busy: false });
  },
}));

/** Listens to the core's status pushes (called once by main.tsx, not on import); returns the way to stop. */
export function initSyncStore(): () => void {
  return api.subscribe((e) => {
    if (e.type === 'syncStatus') useSyncStore.setState({ status: e.status, error: null });
  });
}
