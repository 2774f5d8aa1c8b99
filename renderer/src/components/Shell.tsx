// The frame of every signed-in screen: who and where, the screens this person may use,
// the sync status and `Sign out`.
import type { ReactNode } from 'react';
import { call } from '../api/client';
import { useAppStore } from '../state/app-store';
import { useScanStore } from '../state/scan-store';
import { screensFor, useUiStore } from '../state/ui-store';
import { SyncStatusBar } from './SyncStatusBar';

export function Shell({ children, showNav = true }: { children: ReactNode; showNav?: boolean }) {
  const { state, refresh } = useAppStore();
  const screen = useUiStore((s) => s.screen);
  const session = state!.session!;
  const ws = state!.workstation;
  const signOut = async () => {
    await call('signOut', {});
    useScanStore.getState().reset();
    useUiStore.getState().setSetupOpen(false);
    await refresh();
  };
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <strong>Ballot Intake</strong>
          <span>
            {ws.workstationName}
            {ws.electionNumber !== null && ` · election ${ws.electionNumber}`}
          </span>
        </div>
        {showNav && (
          <nav aria-label="Screens">
            <ul>
              {screensFor(session.role).map((s) => (
                <li key={s.id}>
                  <a href={`#${s.id}`} aria-current={s.id === screen ? 'page' : undefined}>
                    {s.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <SyncStatusBar signedIn />
        <span className="who">
          {session.name} <small>({session.role})</small>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main className="screen">{children}</main>
    </div>
  );
}
