// One stretch of the audit check (audit/verify.ts) on its own read-only connection, off the
// main thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { VerifyWorkerData, VerifyWorkerMessage } from '../audit/verify-runner';
import { verifyAuditRange } from '../audit/verify';

const data = workerData as VerifyWorkerData;
const post = (m: VerifyWorkerMessage) => parentPort!.postMessage(m);
try {
  const db = new Database(data.dbPath, { readonly: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32768');
    post({ type: 'range', result: verifyAuditRange(db, data.range) });
  } finally {
    db.close();
  }
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
