// The frame of every signed-in screen: who and where, the screens this person may use,
// the sync status and `Sign out` (F9). One row that never wraps at 1280 px (issue 14 item 7):
// long names give way (ellipsis), the screens' links, the sync words and `Sign out` never move.
import { useEffect, type ReactNode } from 'react';
import { useSignOutMutation } from '../api/queries/session';
import { useAppStore } from '../state/app-store';
import { useScanStore } from '../state/scan-store';
import { screensFor, useUiStore } from '../state/ui-store';
import { Shortcut } from './Shortcut';
import { SyncStatusBar } from './SyncStatusBar';
import './floor.css';

export function Shell({ children, showNav = true }: { children: ReactNode; showNav?: boolean }) {
  const state = useAppStore((s) => s.state);
  const refresh = useAppStore((s) => s.refresh);
  const screen = useUiStore((s) => s.screen);
  const session = state!.session!;
  const ws = state!.workstation;
  const { mutateAsync: endSession } = useSignOutMutation();
  const signOut = async () => {
    await endSession({});
    useScanStore.getState().reset();
    useUiStore.getState().setSetupOpen(false);
    await refresh();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F9' || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      void signOut();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand" title={`${ws.workstationName}${ws.electionNumber !== null ? ` · election ${ws.electionNumber}` : ''}`}>
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
        <span className="who" title={`${session.name} (${session.role})`}>
          {session.name} <small>({session.role})</small>
        </span>
        <button type="button" className="sign-out" aria-keyshortcuts="F9" onClick={signOut}>
          Sign out <Shortcut keys="F9" />
        </button>
      </header>
      <main className="screen">{children}</main>
    </div>
  );
}
