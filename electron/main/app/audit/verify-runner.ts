// Runs the audit check where it cannot block the main thread: the chain and the coverage
// check side by side in two worker threads, each with its own read-only connection to the
// database file. An in-memory database (some unit tests) has no file a worker could open, so
// it is checked in place.
import type { AuditStatus } from '../../../../shared/api/types';
import type { Db } from '../db/open';
import { startWorker } from '../workers/launch';
import { combineAuditChecks, verifyAuditChain, type Broken } from './verify';

export interface VerifyWorkerData {
  dbPath: string;
  nativeBinding?: string;
  part: 'chain' | 'coverage';
}

export type VerifyWorkerMessage =
  | { type: 'chain'; entries: number; broken: Broken | null }
  | { type: 'coverage'; broken: Broken | null }
  | { type: 'error'; message: string };

function runPart(data: VerifyWorkerData): Promise<VerifyWorkerMessage> {
  return new Promise((resolve, reject) => {
    const worker = startWorker('audit-verify', data);
    let answered = false;
    worker.on('message', (m: VerifyWorkerMessage) => {
      answered = true;
      if (m.type === 'error') reject(new Error(m.message));
      else resolve(m);
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

/** Below this many entries the check takes a few milliseconds: cheaper than starting workers. */
export const IN_THREAD_BELOW = 5_000;

export async function verifyAuditOffThread(db: Db, options: { nativeBinding?: string | undefined; inThreadBelow?: number } = {}): Promise<AuditStatus> {
  const { nativeBinding, inThreadBelow = IN_THREAD_BELOW } = options;
  const head = (db.prepare('SELECT COALESCE(max(seq), 0) AS s FROM audit').get() as { s: number }).s;
  if (db.memory || !db.name || head < inThreadBelow) return verifyAuditChain(db);
  const base = { dbPath: db.name, ...(nativeBinding ? { nativeBinding } : {}) };
  const [chain, coverage] = await Promise.all([runPart({ ...base, part: 'chain' }), runPart({ ...base, part: 'coverage' })]);
  if (chain.type !== 'chain' || coverage.type !== 'coverage') throw new Error('the audit check answered out of turn');
  return combineAuditChecks(chain, coverage.broken);
}
