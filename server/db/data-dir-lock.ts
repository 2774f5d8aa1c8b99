// One server process per embedded data directory: PGlite is not built for two processes on
// one database, and the second would corrupt it. A lock file with the owner's pid; a stale one
// (its process gone) is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns a release function; throws when another live process holds the directory. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
        throw new Error(`the data directory ${dir} is in use by server process ${owner}; stop it first or use another --data-dir`);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock the data directory ${dir}`);
}
