// Whether the desk's core answers the screen. The transports report every call's fate; the scan
// queue reports a read left without an answer for 2 s. The header says "not responding" while
// this is false, so a dead or frozen core never hides behind the last good status.
import { create } from 'zustand';

interface DeskHealth {
  responding: boolean;
  /** the headless host answered from a new run: this tab's address is of the run before */
  restarted: boolean;
  /** when the core was first found not answering (null while it answers) */
  since: string | null;
}

export const useDeskHealth = create<DeskHealth>(() => ({ responding: true, restarted: false, since: null }));

/** The core answered a call (whatever it said). */
export function deskAnswered(): void {
  if (!useDeskHealth.getState().responding) useDeskHealth.setState({ responding: true, restarted: false, since: null });
}

/** A call failed to reach the core, or the core left it unanswered too long. */
export function deskSilent(): void {
  if (useDeskHealth.getState().responding) useDeskHealth.setState({ responding: false, since: new Date().toISOString() });
}

/** The desk answered, but from a run started after this page was loaded: this tab cannot reach it. */
export function deskRestarted(): void {
  const { responding, restarted, since } = useDeskHealth.getState();
  if (!restarted) useDeskHealth.setState({ responding: false, restarted: true, since: responding ? new Date().toISOString() : since });
}
