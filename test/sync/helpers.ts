// Fixtures for the sync tests: the central server as a child process (so it can be SIGKILLed
// and restarted on the same port and data), an election set up through the admin API, and
// workstations as in-process app cores, each with its own data folder, driven through the
// real dispatcher for people and enrolment and through the core directly for bulk scans.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { OperationInput, OperationName } from '../../shared/api/contract';
import type { ApiError, PushEvent, SyncStatus } from '../../shared/api/types';
import { encodeBarcode } from '../../shared/barcode/barcode';
import type { Result } from '../../shared/result';
import { createDispatcher } from '../../electron/main/app/api/dispatch';
import { createHandlers } from '../../electron/main/app/api/handlers';
import type { AppLog, SecretStore } from '../../electron/main/app/app.types';
import { createCore, type Core } from '../../electron/main/app/core';
import { openDatabase } from '../../electron/main/app/db/open';
import { fileSecretStore } from '../../electron/main/host/file-secret-store';
import type { SyncEngine, SyncOptions } from '../../electron/main/app/sync';
import { lockDataDir } from '../../server/db/data-dir-lock';
import { runningEmbeddedUrl, startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { openPostgres } from '../../server/db/postgres';
import type { Db as ServerDb } from '../../server/db/db';

export const ELECTION = 1022;
export const ADMIN_TOKEN = 'sync-test-admin-token-0123456789abcdef';
export const PIN = '135790';
const ROOT = join(import.meta.dirname, '..', '..');

/** Fast retries for tests; the app's defaults are base 1 s, cap 60 s. */
export const TEST_SYNC: SyncOptions = {
  backoff: { baseMs: 100, capMs: 1_500 },
  periodicMs: 2_000,
  debounceMs: 200,
  pollMs: 200,
  requestTimeoutMs: 8_000,
};

const cleanups: Array<() => Promise<void> | void> = [];
export async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

export function tempDir(prefix = 'ballot-sync-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

// ---- the central server, as a child process ------------------------------------------------

/** 'embedded': the server runs its own PostgreSQL in its --data-dir (the default, as people run
 *  it); 'postgres': a fresh database on DATABASE_URL's server. */
export type EngineName = 'embedded' | 'postgres';
export const ENGINES: EngineName[] = ['embedded', ...(process.env.DATABASE_URL ? (['postgres'] as const) : [])];

export interface ServerProcess {
  url: string;
  engine: EngineName;
  /** the server's --data-dir (its embedded PostgreSQL is in dataDir/postgres) */
  dataDir: string;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** opens the server's database directly: the running server's, or (embedded, server stopped)
   *  by starting its PostgreSQL on the data directory until the Db is closed */
  openDb(): Promise<ServerDb>;
  pid(): number | undefined;
}

/** Stops (immediate shutdown) a PostgreSQL still running on DIR/postgres after its server was killed. */
function stopLeftPostgres(dataDir: string): void {
  const cluster = join(dataDir, 'postgres');
  try {
    const pid = Number(readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0 && readlinkSync(`/proc/${pid}/cwd`) === realpathSync(cluster)) process.kill(pid, 'SIGQUIT');
  } catch {
    // none left, or not Linux
  }
}

/** The database of an embedded server's data directory, running or not. */
async function openEmbeddedDb(dataDir: string, serverRunning: boolean): Promise<ServerDb> {
  const running = serverRunning ? runningEmbeddedUrl(dataDir) : null;
  if (running) return openPostgres(running, { maxConnections: 2, engine: 'embedded' });
  const unlock = lockDataDir(dataDir);
  const pg = await startEmbeddedPostgres({ dataDir }).catch((e: unknown) => {
    unlock();
    throw e;
  });
  const db = await openPostgres(pg.url, { maxConnections: 2, engine: 'embedded' });
  return {
    ...db,
    async close() {
      await db.close();
      await pg.stop();
      unlock();
    },
  };
}

/** A fresh PostgreSQL database for one suite; dropped at clean-up. */
async function freshPostgresUrl(): Promise<string> {
  const base = process.env.DATABASE_URL!;
  const name = `sync_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await c.end();
  });
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function serverProcess(engine: EngineName = 'embedded'): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = tempDir('ballot-server-');
  const databaseUrl = engine === 'postgres' ? await freshPostgresUrl() : null;
  let child: ChildProcess | null = null;
  const proc: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    engine,
    dataDir,
    pid: () => child?.pid,
    async start() {
      const args = ['--import', 'tsx', join(ROOT, 'server/cli.ts'), '--port', String(port), '--log-level', 'error'];
      args.push(...(databaseUrl ? ['--database-url', databaseUrl] : ['--data-dir', dataDir]));
      const c = spawn(process.execPath, args, {
        cwd: ROOT,
        env: { ...process.env, BALLOT_ADMIN_TOKEN: ADMIN_TOKEN, BALLOT_SERVER_SECRET: 'sync-test-secret-0123456789abcdef0123456789' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      let stderr = '';
      c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`the server did not start: ${stderr}`)), 60_000);
        c.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Central server listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
        c.on('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the server exited (${code}): ${stderr}`));
        });
      });
      c.removeAllListeners('exit');
    },
    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill(signal);
      await exited;
      child = null;
    },
    openDb: () => (databaseUrl ? openPostgres(databaseUrl, { maxConnections: 2 }) : openEmbeddedDb(dataDir, child !== null)),
  };
  cleanups.push(async () => {
    // SIGTERM: the server stops its embedded PostgreSQL too. One left by a server a test
    // SIGKILLed (and did not start again) is stopped here, before its folder is removed.
    await proc.kill('SIGTERM');
    if (!databaseUrl) stopLeftPostgres(dataDir);
  });
  await proc.start();
  return proc;
}

export async function admin<T = any>(base: string, method: 'GET' | 'POST' | 'PATCH', path: string, body?: { json?: unknown; csv?: string }): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` };
  let payload: string | undefined;
  if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body?.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    payload = body.csv;
  }
  const res = await fetch(base + path, { method, headers, body: payload });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Ballot numbers 1..members, one issued pack each. */
export function registerCsv(members: number, first = 1): string {
  const lines = ['ballot_number,issue,status,member_ref,online_code'];
  for (let b = first; b < first + members; b++) lines.push(`${b},1,issued,M-${b},C${String(b).padStart(12, '0')}`);
  return lines.join('\n') + '\n';
}

export const barcodeOf = (ballotNumber: number) => encodeBarcode(ELECTION, ballotNumber, 1);

export async function setUpElection(base: string, members: number, centres: string[]): Promise<void> {
  await admin(base, 'POST', '/v1/admin/elections', {
    json: { electionNumber: ELECTION, name: 'Sync test election', closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  for (const c of centres) await admin(base, 'POST', '/v1/admin/centres', { json: { centreId: c, name: `Centre ${c}`, electionNumber: ELECTION } });
  await admin(base, 'POST', `/v1/admin/elections/${ELECTION}/register`, { csv: registerCsv(members) });
}

export async function enrolmentCode(base: string, centre: string): Promise<string> {
  return (await admin<{ enrolmentCode: string }>(base, 'POST', `/v1/admin/centres/${centre}/enrolment-codes`)).enrolmentCode;
}

// ---- workstations (in-process app cores) -----------------------------------------------------

export interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

export interface Workstation {
  core: Core;
  engine: SyncEngine;
  dir: string;
  events: PushEvent[];
  logLines: LogLine[];
  operatorId: string;
  call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<Result<any, ApiError>>;
  must<K extends OperationName>(name: K, input: OperationInput<K>): Promise<any>;
  /** records one scan through the core (the same path as recordScan) */
  scan(barcode: string): string;
  status(): SyncStatus;
  close(): Promise<void>;
}

/** `now`: the desk's clock (a desk minutes off the server's); the core and its sync engine both read it. */
export async function openWorkstation(options: { dir?: string; sync?: SyncOptions; durable?: boolean; secretStore?: SecretStore; now?: () => Date } = {}): Promise<Workstation> {
  const dir = options.dir ?? tempDir('ballot-ws-');
  const opened = openDatabase(join(dir, 'ballot-intake.sqlite'));
  if (!opened.ok) throw new Error(opened.error.message);
  const db = opened.value;
  // Thousands of scans per test: the durability of each commit is not what is tested here.
  if (!options.durable) db.pragma('synchronous = NORMAL');
  const logLines: LogLine[] = [];
  const log: AppLog = {
    info: (message, fields) => logLines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => logLines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => logLines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
  const core = createCore({ db, dataDir: dir, log, secretStore: options.secretStore ?? fileSecretStore(dir), now: options.now ?? (() => new Date()), sync: { ...TEST_SYNC, ...options.sync } });
  const engine: SyncEngine = core.sync;
  const dispatch = createDispatcher(core, createHandlers(core));
  engine.start();
  const events: PushEvent[] = [];
  core.onEvent((e) => events.push(e));
  const call = (name: OperationName, input: unknown) => dispatch(name, input) as Promise<Result<any, ApiError>>;
  const must = async (name: OperationName, input: unknown) => {
    const r = await call(name, input);
    if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  let operatorId = '';
  const people = core.db.prepare('SELECT id FROM people ORDER BY created_at LIMIT 1').get() as { id: string } | undefined;
  if (people) {
    operatorId = people.id;
    await must('signIn', { personId: operatorId, pin: PIN });
  } else {
    operatorId = (await must('createFirstSupervisor', { name: 'Sam', pin: PIN })).personId;
  }
  let closed = false;
  const ws: Workstation = {
    core,
    engine,
    dir,
    events,
    logLines,
    get operatorId() {
      return operatorId;
    },
    call,
    must,
    scan(barcode) {
      const info = core.workstation.info();
      const v = core.receipts.record(
        { raw: barcode, source: 'scanner' },
        {
          operatorId,
          now: new Date(),
          electionNumber: info.electionNumber,
          closesAt: info.closesAt ? new Date(info.closesAt) : null,
          repeatWindowMs: 10_000,
        },
      );
      if (v.verdict !== 'recorded' && v.verdict !== 'flagged') throw new Error(`scan of ${barcode}: ${JSON.stringify(v)}`);
      // as the API's scan handler does: the screens learn at once that something waits
      engine.outboxChanged();
      return v.receiptId;
    },
    status: () => engine.status(),
    async close() {
      if (closed) return;
      closed = true;
      await core.close();
    },
  };
  cleanups.push(() => ws.close());
  return ws;
}

/** Enrols through the API (as the supervisor at the screen would) and opens a tray. */
export async function enrol(ws: Workstation, serverUrl: string, code: string, name: string): Promise<void> {
  await ws.must('enrol', { serverUrl, enrolmentCode: code, workstationName: name });
  if (!ws.core.batches.openBatch()) await ws.must('openBatch', { label: 'Tray 1' });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function waitUpToDate(ws: Workstation, timeoutMs = 120_000): Promise<void> {
  await waitFor(`Up to date (now: ${JSON.stringify(ws.status())})`, () => ws.status().text === 'Up to date' && ws.status().waiting === 0, timeoutMs, 100);
}

// ---- reading what the workstation and the server hold --------------------------------------------

export interface LocalReceipt {
  id: string;
  barcode: string;
  seq: number;
  flag_kind: string | null;
  raised_by: string | null;
  sv_outcome: string | null;
  sv_kind: string | null;
}

export function localReceipts(ws: Workstation): LocalReceipt[] {
  return ws.core.db
    .prepare(
      `SELECT r.id, r.barcode, r.seq, f.kind AS flag_kind, f.raised_by, sv.outcome AS sv_outcome, sv.kind AS sv_kind
         FROM receipts r LEFT JOIN flags f ON f.receipt_id = r.id LEFT JOIN server_verdicts sv ON sv.receipt_id = r.id
        ORDER BY r.seq`,
    )
    .all() as LocalReceipt[];
}

export interface ServerReceipt {
  receipt_id: string;
  barcode: string;
  workstation_seq: number;
  device_id: string;
  outcome: string;
  kind: string | null;
}

export async function serverReceipts(db: ServerDb): Promise<ServerReceipt[]> {
  const { rows } = await db.query<ServerReceipt>(
    `select r.receipt_id::text, r.barcode, r.workstation_seq, r.device_id::text, r.outcome, f.kind
       from receipts r left join flags f on f.flag_id = r.flag_id order by r.received_at, r.receipt_id`,
  );
  return rows;
}
