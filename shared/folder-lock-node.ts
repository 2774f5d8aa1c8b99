// One process per data folder, for every Node side that owns one: the central server's
// embedded data directory (two servers would each start a PostgreSQL on the same files, the
// second's stale-postmaster clean-up stopping the first's) and the desk's data folder (two
// desks would record scans side by side under one device token, each with its own outbox).
//
// The lock is a file in the folder (server.lock, desk.lock), holding its owner's identity: pid,
// the process's start time (/proc/<pid>/stat, so a reused pid is not mistaken for the owner),
// the machine's boot id and a random nonce. It is only ever made whole and at once — written to
// a private file first, then hard-linked into place, which fails if the name exists
// (create-exclusive) — so nobody sees a half-written lock.
//
// A stale lock (owner gone, or its pid now another process) is taken over without a window in
// which two processes both win: the taker first creates, exclusively, a breaker file whose name
// is derived from the stale lock's content; only the one process holding that breaker may
// replace that content, and it re-reads the lock under the breaker before it does (by an atomic
// rename over it). A breaker left by a process killed in that short step is itself stale and is
// broken the same way, one level down.
//
// Node only (node:fs, /proc; a *-node.ts file, left out of the page's build): shared by
// electron/ and server/.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from './result';

interface Owner {
  pid: number;
  /** /proc/<pid>/stat field 22 (clock ticks after boot); null where unknown */
  start: string | null;
  boot: string | null;
  nonce: string;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** A process's start time in clock ticks after boot (Linux); null where it cannot be read. */
export function processStartTime(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null; // field 22 overall; the slice starts at field 3
}

const bootId = (): string | null => readText('/proc/sys/kernel/random/boot_id')?.trim() ?? null;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Parses a lock's content; `null` for content that names no owner (treated as stale). */
function parseOwner(text: string): Owner | null {
  // the lock of an older version: just "<pid>\n"
  const pid = Number(text.trim());
  if (/^\d+$/.test(text.trim()) && pid > 0) return { pid, start: null, boot: null, nonce: '' };
  try {
    const o = JSON.parse(text) as Partial<Owner> | null;
    if (o && Number.isInteger(o.pid) && (o.pid ?? 0) > 0) return { pid: o.pid!, start: o.start ?? null, boot: o.boot ?? null, nonce: String(o.nonce ?? '') };
  } catch {
    // not ours to read: nobody owns it
  }
  return null;
}

/** Whether the process that wrote `owner` is still running (the same process, not a reused pid). */
function ownerAlive(owner: Owner | null): boolean {
  if (!owner) return false;
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return false; // written before a reboot
  if (!pidAlive(owner.pid)) return false;
  if (owner.start === null) return true;
  const start = processStartTime(owner.pid);
  return start === null || start === owner.start;
}

type Attempt = { won: true } | { won: false; owner: Owner | null };

/**
 * Makes `path` hold `content`, exclusively: won, or lost to a live owner. `content` is this
 * process's identity; `scratch` makes private file names.
 */
function acquire(path: string, content: string, scratch: () => string, depth = 0): Attempt {
  if (depth > 8) throw new Error(`could not take the lock ${path}: too many stale breakers`);
  for (;;) {
    const mine = scratch();
    writeFileSync(mine, content, { flag: 'wx', mode: 0o644 });
    try {
      linkSync(mine, path);
      return { won: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(mine, { force: true });
    }
    const held = readText(path);
    if (held === null) continue; // released meanwhile: try again
    const owner = parseOwner(held);
    if (ownerAlive(owner)) return { won: false, owner };
    // Stale. Only the holder of this content's breaker may replace it.
    const breaker = `${path}.break-${createHash('sha256').update(held).digest('hex').slice(0, 16)}`;
    const b = acquire(breaker, content, scratch, depth + 1);
    if (!b.won) {
      // Another live process is replacing it right now; see what it made.
      sleepMs(2 + Math.random() * 8);
      continue;
    }
    try {
      if (readText(path) === held) {
        const replacement = scratch();
        writeFileSync(replacement, content, { flag: 'wx', mode: 0o644 });
        renameSync(replacement, path); // atomic: the name never disappears
        return { won: true };
      }
      // Someone replaced or released it before we held the breaker: start again.
    } finally {
      rmSync(breaker, { force: true });
    }
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Who holds a folder's lock: its pid, when the lock names one. */
export interface FolderInUse {
  pid: number | null;
}

/**
 * Takes `dir/lockName` for this process: a release function, or who holds it. Expected: a
 * second process on the same folder is a person's mistake to be told about, not a crash.
 */
export function lockFolder(dir: string, lockName: string): Result<() => void, FolderInUse> {
  const file = join(dir, lockName);
  const owner: Owner = { pid: process.pid, start: processStartTime(process.pid), boot: bootId(), nonce: randomBytes(8).toString('hex') };
  const content = JSON.stringify(owner) + '\n';
  let n = 0;
  const scratch = () => join(dir, `.${lockName}.${process.pid}.${owner.nonce}.${n++}`);
  const r = acquire(file, content, scratch);
  if (!r.won) return err({ pid: r.owner?.pid ?? null });
  let released = false;
  return ok(() => {
    if (released) return;
    released = true;
    // Ours until we remove it: nobody replaces a lock whose owner is alive.
    if (readText(file) === content) rmSync(file, { force: true });
  });
}
