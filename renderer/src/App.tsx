// Chooses the screen from the core's state: first run, sign-in, setup, or the desk screen
// the person picked (each role sees only its screens).
import { useEffect } from 'react';
import { useApi } from './api/context';
import { AuditAlarm } from './components/AuditAlarm';
import { Shell } from './components/Shell';
import { AuditScreen } from './screens/AuditScreen';
import { DashboardScreen } from './screens/DashboardScreen';
import { FirstRun } from './screens/FirstRun';
import { PeopleScreen } from './screens/PeopleScreen';
import { ReviewScreen } from './screens/ReviewScreen';
import { ScanScreen } from './screens/ScanScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SetupScreen } from './screens/SetupScreen';
import { SignIn } from './screens/SignIn';
import { TraysScreen } from './screens/TraysScreen';
import { useAppStore } from './state/app-store';
import { startIdleWatch } from './state/idle';
import { screensFor, useUiStore } from './state/ui-store';

const SCREEN_COMPONENTS = {
  scan: ScanScreen,
  review: ReviewScreen,
  trays: TraysScreen,
  dashboard: DashboardScreen,
  audit: AuditScreen,
  people: PeopleScreen,
  settings: SettingsScreen,
} as const;

export function App() {
  const state = useAppStore((s) => s.state);
  const loadError = useAppStore((s) => s.loadError);
  const refresh = useAppStore((s) => s.refresh);
  const screen = useUiStore((s) => s.screen);
  const setupOpen = useUiStore((s) => s.setupOpen);
  const setSetupOpen = useUiStore((s) => s.setSetupOpen);
  const api = useApi();
  useEffect(() => {
    void refresh();
    const stopIdle = startIdleWatch();
    const unsubscribe = api.subscribe((e) => {
      // The session ended, the server moved the election's closing time, or the audit check
      // changed (the chain no longer holds the head the server witnessed): read the state again.
      if (e.type === 'sessionEnded' || e.type === 'workstationChanged' || e.type === 'auditStatus') void refresh();
    });
    return () => {
      stopIdle();
      unsubscribe();
    };
  }, [refresh, api]);

  const unconfigured = state?.workstation.electionNumber === null;
  useEffect(() => {
    if (unconfigured && state?.session?.role === 'supervisor') setSetupOpen(true);
  }, [unconfigured, state?.session?.role, setSetupOpen]);

  if (!state) return <main className="centered">{loadError ?? 'Starting…'}</main>;
  if (!state.audit.ok) return <AuditAlarm audit={state.audit} />;
  if (state.firstRun) return <FirstRun />;
  if (!state.session) return <SignIn />;
  if (unconfigured || (setupOpen && state.session.role === 'supervisor')) {
    return <Shell showNav={false}>{state.session.role === 'supervisor' ? <SetupScreen /> : <NotSetUp />}</Shell>;
  }
  const allowed = screensFor(state.session.role).some((s) => s.id === screen) ? screen : 'scan';
  const Screen = SCREEN_COMPONENTS[allowed];
  return (
    <Shell>
      <Screen />
    </Shell>
  );
}

function NotSetUp() {
  return (
    <section className="panel">
      <h1>This workstation is not set up yet</h1>
      <p>A supervisor must sign in first and enrol it with the central server, or set it to work offline.</p>
    </section>
  );
}
