// The sync engine's timings and sizes: the hosts use the defaults; tests shorten them.
import * as api from '../../../../shared/protocol/central-api';
import type { BackoffPolicy } from './backoff';
import { CENTRE_SUMMARY_TIMEOUT_MS } from './centre-summary';

export interface SyncOptions {
  backoff?: BackoffPolicy;
  /** a full cycle (pull included) at least this often */
  periodicMs?: number;
  /** delay between a new outbox row (a scan, a decision) and the cycle that sends it */
  debounceMs?: number;
  /** how often the outbox is checked for new rows (one indexed max() query) */
  pollMs?: number;
  networkWatchMs?: number;
  requestTimeoutMs?: number;
  /** the centre's figures for the statement: someone is waiting, so a short timeout */
  centreSummaryTimeoutMs?: number;
  /** Verify asks the server for the witnessed head: someone is waiting, so a short timeout */
  verifyTimeoutMs?: number;
  batchSize?: number;
  registerPageSize?: number;
  changesPageSize?: number;
  random?: () => number;
}

export const SYNC_DEFAULTS = {
  periodicMs: 30_000,
  debounceMs: 1_000,
  pollMs: 500,
  /** how often the network interfaces are looked at, to notice the network coming back */
  networkWatchMs: 2_000,
  requestTimeoutMs: 30_000,
  centreSummaryTimeoutMs: CENTRE_SUMMARY_TIMEOUT_MS,
  verifyTimeoutMs: 5_000,
  batchSize: api.MAX_RECEIPTS_PER_REQUEST,
  registerPageSize: 10_000,
  changesPageSize: 5_000,
};

/** Options without their undefined fields, so a default is never overwritten by `undefined`. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
