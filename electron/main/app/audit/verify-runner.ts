// Runs the audit check where it cannot block the main thread: in a worker with its own
// read-only connection to the database file. An in-memory database (some unit tests) has no
// file a worker could open, so it is checked in place.
import type { AuditStatus } from '../../../../shared/api/types';
import type { Db } from '../db/open';
import { startWorker } from '../workers/launch';
import { verifyAuditChain } from './verify';

export interface VerifyWorkerData {
  dbPath: string;
  nativeBinding?: string;
}

export type VerifyWorkerMessage = { type: 'status'; status: AuditStatus } | { type: 'error'; message: string };

export function verifyAuditOffThread(db: Db, nativeBinding?: string): Promise<AuditStatus> {
  if (db.memory || !db.name) return Promise.resolve(verifyAuditChain(db));
  const data: VerifyWorkerData = { dbPath: db.name, ...(nativeBinding ? { nativeBinding } : {}) };
  return new Promise((resolve, reject) => {
    const worker = startWorker('audit-verify', data);
    let answered = false;
    worker.on('message', (m: VerifyWorkerMessage) => {
      answered = true;
      if (m.type === 'status') resolve(m.status);
      else reject(new Error(m.message));
    });
    worker.on('error', (e) => {
      answered = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!answered) reject(new Error(`the audit check stopped (exit ${code})`));
    });
  });
}
