// Chooses the screen from the core's state: first run, sign-in, or the desk.
import { useEffect } from 'react';
import { api } from './api/client';
import { useAppStore } from './state/app-store';
import { FirstRun } from './screens/FirstRun';
import { SignIn } from './screens/SignIn';
import { ScanScreen } from './screens/ScanScreen';

export function App() {
  const { state, loadError, refresh } = useAppStore();
  useEffect(() => {
    void refresh();
    return api.subscribe((e) => {
      if (e.type === 'sessionEnded') void refresh();
    });
  }, [refresh]);

  if (!state) return <main className="centered">{loadError ?? 'Starting…'}</main>;
  if (state.firstRun) return <FirstRun />;
  if (!state.session) return <SignIn />;
  return <ScanScreen />;
}
