// Runs the audit check where it cannot block the main thread: the log is cut into stretches of
// seq (verify.ts), one per core, checked side by side in worker threads, each with its own
// read-only connection to the database file. An in-memory database (some unit tests) has no
// file a worker could open, so it is checked in place.
import { availableParallelism } from 'node:os';
import type { AuditStatus } from '../../../../shared/api/types';
import type { Db } from '../db/open';
import { startWorker } from '../workers/launch';
import { combineAuditRanges, splitAuditRanges, verifyAuditChain, type AuditRange, type RangeResult } from './verify';

export interface VerifyWorkerData {
  dbPath: string;
  nativeBinding?: string;
  range: AuditRange;
}

export type VerifyWorkerMessage = { type: 'range'; result: RangeResult } | { type: 'error'; message: string };

function runRange(data: VerifyWorkerData): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker('audit-verify', data);
    let answered = false;
    worker.on('message', (m: VerifyWorkerMessage) => {
      answered = true;
      if (m.type === 'error') reject(new Error(m.message));
      else resolve(m.result);
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

/** More stretches than this gain little: the page cache and memory bandwidth are shared. */
const MAX_WORKERS = 4;

export async function verifyAuditOffThread(
  db: Db,
  options: { nativeBinding?: string | undefined; inThreadBelow?: number; workers?: number } = {},
): Promise<AuditStatus> {
  const { nativeBinding, inThreadBelow = IN_THREAD_BELOW } = options;
  const head = (db.prepare('SELECT COALESCE(max(seq), 0) AS s FROM audit').get() as { s: number }).s;
  if (db.memory || !db.name || head < inThreadBelow) return verifyAuditChain(db);
  // at least two, so that the main thread's own work never waits behind one long stretch
  const workers = options.workers ?? Math.max(2, Math.min(availableParallelism(), MAX_WORKERS));
  const base = { dbPath: db.name, ...(nativeBinding ? { nativeBinding } : {}) };
  const results = await Promise.all(splitAuditRanges(head, workers).map((range) => runRange({ ...base, range })));
  return combineAuditRanges(results);
}
