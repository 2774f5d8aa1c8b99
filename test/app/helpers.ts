// Test fixtures for the app core: a real SQLite file in a temp folder opened through openApp,
// a clock the test moves, people signed in through the real API, register files on disk.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { OperationInput, OperationName } from '../../shared/api/contract';
import type { ApiError, PushEvent } from '../../shared/api/types';
import type { Result } from '../../shared/result';
import type { App, AppLog, SecretStore } from '../../electron/main/app/app.types';
import { openApp } from '../../electron/main/app/index';
import type { PinCost } from '../../electron/main/app/auth/pin';

export const ELECTION = 1022;
export const HEADER = 'ballot_number,issue,status,member_ref,online_code\n';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ballot-app-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const quietLog: AppLog & { errors: Array<{ message: string; fields?: Record<string, unknown> }> } = {
  errors: [],
  info() {},
  warn() {},
  error(message, fields) {
    quietLog.errors.push({ message, ...(fields ? { fields } : {}) });
  },
};

export const memorySecrets = (): SecretStore => {
  const m = new Map<string, string>();
  return { description: 'memory', get: async (k) => m.get(k) ?? null, set: async (k, v) => (m.set(k, v), { ok: true, value: undefined }) };
};

/** One secret store per data folder, kept across reopenings (as the hosts' stores are). */
const storesByDir = new Map<string, SecretStore>();
export function secretsOf(dir: string): SecretStore {
  let store = storesByDir.get(dir);
  if (!store) storesByDir.set(dir, (store = memorySecrets()));
  return store;
}

export interface Clock {
  now: () => Date;
  advance(ms: number): void;
  set(iso: string): void;
}

export function clock(start = '2026-11-25T09:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => (t += ms), set: (iso) => (t = Date.parse(iso)) };
}

export interface TestApp {
  app: App;
  dir: string;
  clock: Clock;
  events: PushEvent[];
  call<K extends OperationName>(name: K, input: OperationInput<K>): Promise<Result<any, ApiError>>;
  /** calls and expects success */
  must<K extends OperationName>(name: K, input: OperationInput<K>): Promise<any>;
  close(): Promise<void>;
}

/**
 * scrypt's cost for PINs in tests: production's N = 2^17 costs 128 MB and ~0.1–0.5 s a hash, and
 * the suite hashes hundreds. test/app/pin-hash.test.ts and the hosts' tests prove production's.
 */
export const TEST_PIN_COST: PinCost = { N: 2 ** 12, r: 8, p: 1 };

export async function startApp(
  options: { dir?: string; clock?: Clock; registerChunkRows?: number; secretStore?: SecretStore; pinCost?: PinCost | 'production' } = {},
): Promise<TestApp> {
  const dir = options.dir ?? tempDir();
  const c = options.clock ?? clock();
  const pinCost = options.pinCost === 'production' ? {} : { pinCost: options.pinCost ?? TEST_PIN_COST };
  const opened = await openApp({
    dataDir: dir,
    secretStore: options.secretStore ?? secretsOf(dir),
    log: quietLog,
    now: c.now,
    ...pinCost,
    ...(options.registerChunkRows ? { registerChunkRows: options.registerChunkRows } : {}),
  });
  if (!opened.ok) throw new Error(`openApp failed: ${opened.error.message}`);
  const app = opened.value;
  const events: PushEvent[] = [];
  app.subscribe((e) => events.push(e));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  cleanups.push(close);
  const call = (name: OperationName, input: unknown) => app.dispatch(name, input) as Promise<Result<any, ApiError>>;
  return {
    app,
    dir,
    clock: c,
    events,
    call,
    async must(name, input) {
      const r = await call(name, input);
      if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    close,
  };
}

export const SUPERVISOR_PIN = '135790';
export const OPERATOR_PIN = '246801';

/**
 * A configured workstation: first supervisor "Sam" (signed in), operator "Olga", a second
 * supervisor "Sue", an election closing in the evening, a register of the given rows.
 */
export async function dayAtTheCentre(t: TestApp, options: { registerCsv?: string } = {}) {
  const sam = await t.must('createFirstSupervisor', { name: 'Sam', pin: SUPERVISOR_PIN });
  await t.must('configureOffline', { electionNumber: ELECTION, electionName: 'Test election', closesAt: '2026-11-25T18:00:00.000Z', workstationName: 'Desk 1' });
  const olga = await t.must('addPerson', { name: 'Olga', pin: OPERATOR_PIN, role: 'operator' });
  const sue = await t.must('addPerson', { name: 'Sue', pin: SUPERVISOR_PIN, role: 'supervisor' });
  if (options.registerCsv !== undefined) await importRegister(t, options.registerCsv);
  return { samId: sam.personId as string, olgaId: olga.id as string, sueId: sue.id as string };
}

export function writeRegisterFile(dir: string, csv: string, name = 'register.csv'): string {
  const path = join(dir, name);
  writeFileSync(path, csv);
  return path;
}

/** Imports a register file through the API and waits for the end; returns the final progress. */
export async function importRegister(t: TestApp, csv: string | { path: string }): Promise<any> {
  const path = typeof csv === 'string' ? writeRegisterFile(t.dir, csv, `register-${Date.now()}-${Math.random()}.csv`) : csv.path;
  const token = t.app.registerFile(path);
  await t.must('importRegisterFile', { fileToken: token });
  return waitForImport(t);
}

export async function waitForImport(t: TestApp, timeoutMs = 120_000): Promise<any> {
  const start = Date.now();
  for (;;) {
    const p = await t.must('registerProgress', {});
    if (p.state !== 'running') return p;
    if (Date.now() - start > timeoutMs) throw new Error('register import did not finish');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function signInAs(t: TestApp, personId: string, pin: string) {
  await t.call('signOut', {});
  return t.must('signIn', { personId, pin });
}

export function registerRow(ballot: number, issue: number, status: string, member: string, code?: string): string {
  return `${ballot},${issue},${status},${member},${code ?? (status === 'issued' ? `CODE${String(ballot).padStart(6, '0')}${issue}` : '')}\n`;
}
