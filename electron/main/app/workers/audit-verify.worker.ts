// One half of the audit check (audit/verify.ts), the chain or the coverage, on its own
// read-only connection, off the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { VerifyWorkerData, VerifyWorkerMessage } from '../audit/verify-runner';
import { verifyChain, verifyCoverage } from '../audit/verify';

const data = workerData as VerifyWorkerData;
const post = (m: VerifyWorkerMessage) => parentPort!.postMessage(m);
try {
  const db = new Database(data.dbPath, { readonly: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -32768');
    if (data.part === 'chain') post({ type: 'chain', ...verifyChain(db) });
    else post({ type: 'coverage', broken: verifyCoverage(db) });
  } finally {
    db.close();
  }
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
