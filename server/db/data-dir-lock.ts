// One server process per embedded data directory (the lock itself: shared/folder-lock-node.ts,
// which the desk's data folder uses too).
import { lockFolder } from '../../shared/folder-lock-node';

export { processStartTime } from '../../shared/folder-lock-node';

/** Returns a release function; throws when another live process holds the directory. */
export function lockDataDir(dir: string): () => void {
  const locked = lockFolder(dir, 'server.lock');
  if (locked.ok) return locked.value;
  const who = locked.error.pid !== null ? `server process ${locked.error.pid}` : 'another server process';
  throw new Error(`the data directory ${dir} is in use by ${who}; stop it first or use another --data-dir`);
}
