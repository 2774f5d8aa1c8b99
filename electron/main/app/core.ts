// The app core's parts, wired once. Plain Node: no Electron here (architecture rule 1).
import { EventEmitter } from 'node:events';
import type { AuditStatus, PushEvent } from '../../../shared/api/types';
import type { AppLog, SecretStore } from './app.types';
import { AuditLog } from './audit/log';
import { verifyAuditChain } from './audit/verify';
import { verifyAuditOffThread } from './audit/verify-runner';
import { WitnessGuard } from './audit/witness-guard';
import { createPeople, type People } from './auth/people';
import type { PinCost } from './auth/pin';
import { Session } from './auth/session';
import type { Db } from './db/open';
import { Exports } from './exports/exports';
import { Batches } from './ledger/batches';
import { FlagReview } from './ledger/flags';
import { Receipts } from './ledger/receipts';
import { ServerFlags } from './ledger/server-flags';
import { RegisterFiles } from './register/files';
import { RegisterImport } from './register/import';
import { RegisterLookup } from './register/lookup';
import { RegisterStore } from './register/store';
import { Settings } from './settings';
import { SyncEngine, type SyncOptions } from './sync/engine';
import { Workstation } from './workstation';

export interface Core {
  db: Db;
  dataDir: string;
  log: AppLog;
  secretStore: SecretStore;
  /** the desk's clock, the same for the core and its sync engine (fixed at createCore: set it there, never afterwards) */
  readonly now: () => Date;
  audit: AuditLog;
  people: People;
  session: Session;
  settings: Settings;
  workstation: Workstation;
  register: RegisterLookup;
  /** the register copy's writer: file imports, and the sync engine's fills and changes */
  registerStore: RegisterStore;
  registerImport: RegisterImport;
  batches: Batches;
  receipts: Receipts;
  flags: FlagReview;
  /** flags and decisions from the central server (called by the sync engine) */
  serverFlags: ServerFlags;
  /** the sync engine, built here from the parts it names; started by openApp (`sync.start()`), stopped on close */
  sync: SyncEngine;
  exports: Exports;
  /** files picked by the transport's file chooser (or uploaded), by the token `importRegisterFile` takes */
  registerFiles: RegisterFiles;
  /** the chain against the last head the central server witnessed (audit/witness-guard.ts) */
  witness: WitnessGuard;
  /** the result of the last audit check (on start and on demand), with the witnessed head's */
  auditStatus(): AuditStatus;
  /** checks the whole audit log in a worker thread; the result is kept for auditStatus() */
  verifyAudit(): Promise<AuditStatus>;
  /** push events to whichever transport is listening */
  emit(event: PushEvent): void;
  onEvent(listener: (event: PushEvent) => void): () => void;
  /** things to stop when the app closes (workers, timers) */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface CoreDeps {
  db: Db;
  dataDir: string;
  log: AppLog;
  secretStore: SecretStore;
  now: () => Date;
  /** an Electron-ABI build of better-sqlite3, for the worker threads' own connections */
  nativeBinding?: string;
  /** rows per write transaction of the register import (tests make it small) */
  registerChunkRows?: number;
  /** scrypt cost of PIN hashes: tests only (both hosts leave it out: production's) */
  pinCost?: PinCost;
  /** the sync engine's timings and sizes (tests shorten them; the hosts leave them out) */
  sync?: SyncOptions;
}

export function createCore(deps: CoreDeps): Core {
  const { db } = deps;
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const closers: Array<() => Promise<void> | void> = [];
  const emit = (event: PushEvent) => events.emit('event', event);
  const audit = new AuditLog(db);
  const settings = new Settings(db);
  const register = new RegisterLookup(db);
  const registerStore = new RegisterStore(db, audit);
  const registerImport = new RegisterImport({
    dbPath: db.name,
    ...(deps.nativeBinding ? { nativeBinding: deps.nativeBinding } : {}),
    store: registerStore,
    audit,
    log: deps.log,
    now: deps.now,
    emit,
    ...(deps.registerChunkRows ? { chunkRows: deps.registerChunkRows } : {}),
  });
  const workstation = new Workstation(db);
  const batches = new Batches(db, audit);
  const registerFiles = new RegisterFiles(deps.log);
  let auditStatus: AuditStatus = { ok: true, entries: 0, firstBrokenSeq: null, problem: null };
  const witness = new WitnessGuard(db, audit);
  const serverFlags = new ServerFlags(db, audit);
  const combinedAuditStatus = () => witness.combine(auditStatus);
  const sync = new SyncEngine(
    { db, now: deps.now, log: deps.log, secretStore: deps.secretStore, audit, workstation, witness, serverFlags, register, registerStore, auditStatus: combinedAuditStatus, emit },
    deps.sync ?? {},
  );
  // closers run last first: the import stops before the uploads it may be reading are deleted,
  // and the engine stops (its requests aborted, its fill ended) before anything else
  closers.push(() => registerFiles.releaseAll());
  closers.push(() => registerImport.stop());
  closers.push(() => sync.stop());
  return {
    db,
    dataDir: deps.dataDir,
    log: deps.log,
    secretStore: deps.secretStore,
    now: deps.now,
    audit,
    people: createPeople({ db, audit, secretStore: deps.secretStore, log: deps.log, pinCost: deps.pinCost }),
    session: new Session(() => settings.get().idleLockMinutes * 60_000),
    settings,
    workstation,
    register,
    registerStore,
    registerImport,
    batches,
    receipts: new Receipts(db, audit, register, batches),
    flags: new FlagReview(db, audit, register, () => workstation.info().workstationName),
    serverFlags,
    sync,
    exports: new Exports(db, audit, deps.dataDir),
    registerFiles,
    witness,
    auditStatus: combinedAuditStatus,
    async verifyAudit() {
      try {
        auditStatus = await verifyAuditOffThread(db, { nativeBinding: deps.nativeBinding });
      } catch (e) {
        // A worker that cannot start (a packaging mistake) must not hide a broken chain:
        // check in place instead, slower and on this thread, and say so in the log.
        deps.log.warn('audit check worker failed; checking on the main thread', { error: (e as Error).message });
        auditStatus = verifyAuditChain(db);
      }
      // the head the server last witnessed, as kept here (the sync engine asks the server too)
      witness.compareKept(deps.now());
      return witness.combine(auditStatus);
    },
    emit,
    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    onClose: (fn) => closers.push(fn),
    async close() {
      for (const fn of closers.reverse()) await fn();
      db.close();
    },
  };
}
