// One desk per data folder, whichever way it is started (the desktop app or the headless
// host): two would record scans side by side under one device token, each sending its own
// outbox, and the server would see one workstation counting twice.
import { lockFolder } from '../../shared/folder-lock-node';
import { err, ok, type Result } from '../../shared/result';

export const DESK_LOCK_FILE = 'desk.lock';

/** Takes the data folder for this process: a release function, or the refusal in words. */
export function lockDeskFolder(dataDir: string): Result<() => void, string> {
  const locked = lockFolder(dataDir, DESK_LOCK_FILE);
  if (locked.ok) return ok(locked.value);
  const pid = locked.error.pid !== null ? ` (pid ${locked.error.pid})` : '';
  return err(`Another Ballot Intake is already using ${dataDir}${pid}.`);
}
