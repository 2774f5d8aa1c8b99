// Which screen is shown (kept in the address's #fragment, so a reload stays put) and the
// first-run setup that stays open until the supervisor says it is done.
import { create } from 'zustand';
import type { Role } from '../../../shared/domain';

export const SCREENS = [
  { id: 'scan', label: 'Scan', roles: ['operator', 'supervisor'] },
  { id: 'review', label: 'Review', roles: ['supervisor'] },
  { id: 'trays', label: 'Trays', roles: ['supervisor'] },
  { id: 'dashboard', label: 'Dashboard', roles: ['supervisor'] },
  { id: 'audit', label: 'Audit', roles: ['supervisor'] },
  { id: 'people', label: 'People', roles: ['supervisor'] },
  { id: 'settings', label: 'Settings', roles: ['supervisor'] },
] as const satisfies ReadonlyArray<{ id: string; label: string; roles: readonly Role[] }>;

export type ScreenId = (typeof SCREENS)[number]['id'];

const fromHash = (): ScreenId => {
  const h = window.location.hash.slice(1);
  return (SCREENS.find((s) => s.id === h)?.id ?? 'scan') as ScreenId;
};

interface UiStore {
  screen: ScreenId;
  /** first-run setup in progress: shown until the supervisor presses `Start scanning` */
  setupOpen: boolean;
  setSetupOpen(open: boolean): void;
}

export const useUiStore = create<UiStore>((set) => ({
  screen: fromHash(),
  setupOpen: false,
  setSetupOpen: (setupOpen) => set({ setupOpen }),
}));

/** Follows the address's #fragment (called once by main.tsx, not on import); returns the way to stop. */
export function initUiStore(): () => void {
  const follow = () => useUiStore.setState({ screen: fromHash() });
  window.addEventListener('hashchange', follow);
  return () => window.removeEventListener('hashchange', follow);
}

export function screensFor(role: Role) {
  return SCREENS.filter((s) => (s.roles as readonly Role[]).includes(role));
}
