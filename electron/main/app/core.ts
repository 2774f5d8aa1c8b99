// The app core's parts, wired once. Plain Node: no Electron here (architecture rule 1).
import { EventEmitter } from 'node:events';
import type { AuditStatus, PushEvent } from '../../../shared/api/types';
import type { AppLog, SecretStore } from './app.types';
import { AuditLog } from './audit/log';
import { verifyAuditChain } from './audit/verify';
import { People } from './auth/people';
import { Session } from './auth/session';
import type { Db } from './db/open';
import { Batches } from './ledger/batches';
import { Receipts } from './ledger/receipts';
import { RegisterLookup } from './register/lookup';
import { Settings } from './settings';
import { Workstation } from './workstation';

export interface Core {
  db: Db;
  dataDir: string;
  log: AppLog;
  secretStore: SecretStore;
  now: () => Date;
  audit: AuditLog;
  people: People;
  session: Session;
  settings: Settings;
  workstation: Workstation;
  register: RegisterLookup;
  batches: Batches;
  receipts: Receipts;
  /** the result of the last audit-chain check (on start and on demand) */
  auditStatus(): AuditStatus;
  verifyAudit(): AuditStatus;
  /** push events to whichever transport is listening */
  emit(event: PushEvent): void;
  onEvent(listener: (event: PushEvent) => void): () => void;
  /** things to stop when the app closes (workers, timers) */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export function createCore(deps: { db: Db; dataDir: string; log: AppLog; secretStore: SecretStore; now: () => Date }): Core {
  const { db } = deps;
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const closers: Array<() => Promise<void> | void> = [];
  const audit = new AuditLog(db);
  const settings = new Settings(db);
  const register = new RegisterLookup(db);
  const batches = new Batches(db, audit);
  let auditStatus: AuditStatus = { ok: true, entries: 0, firstBrokenSeq: null, problem: null };
  return {
    ...deps,
    audit,
    people: new People(db, audit),
    session: new Session(() => settings.get().idleLockMinutes * 60_000),
    settings,
    workstation: new Workstation(db),
    register,
    batches,
    receipts: new Receipts(db, audit, register, batches),
    auditStatus: () => auditStatus,
    verifyAudit() {
      auditStatus = verifyAuditChain(db);
      return auditStatus;
    },
    emit: (event) => events.emit('event', event),
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
