// The idle lock as the person sees it. The core locks a session on the first call after
// `idleLockMinutes` without calls; every call keeps it awake. So the renderer makes no
// background calls for someone who is away, keeps the session awake while someone is
// typing into a form without calling yet, and asks once when the time is up — the core then
// ends the session and pushes `sessionEnded`, and the sign-in screen comes back.
import { activity, call } from '../api/client';
import { noteIdleLock, useAppStore } from './app-store';

// Not in a store on purpose: it changes on every key a scanner types (16 a read, 1 ms apart)
// and nothing renders it; a store would run every subscriber's selector at each of them.
let lastInputAt = Date.now();
const input = () => (lastInputAt = Date.now());

/** A person with no key or click for this long is away: nothing is asked of the core for them. */
const AWAY_AFTER_MS = 60_000;

/** Whether the person at the screen did something recently (background refreshes may run). */
export function personIsThere(): boolean {
  return Date.now() - lastInputAt < AWAY_AFTER_MS;
}

/** Asks once the time is up; a session gone then was locked for idleness, even if the core's push was missed. */
async function lockCheck(): Promise<void> {
  await useAppStore.getState().refresh();
  const { state, lock } = useAppStore.getState();
  if (state && !state.session && !lock) noteIdleLock();
}

export function startIdleWatch(): () => void {
  window.addEventListener('keydown', input, true);
  window.addEventListener('pointerdown', input, true);
  const timer = setInterval(() => {
    const state = useAppStore.getState().state;
    if (!state?.session) return;
    const limit = state.settings.idleLockMinutes * 60_000;
    const sinceCall = Date.now() - activity.lastCallAt;
    if (lastInputAt > activity.lastCallAt && sinceCall > limit / 2) void call('syncStatus', {});
    else if (sinceCall > limit + 1_000) void lockCheck();
  }, 2_000);
  return () => {
    window.removeEventListener('keydown', input, true);
    window.removeEventListener('pointerdown', input, true);
    clearInterval(timer);
  };
}
