// Exponential backoff with full jitter: the n-th retry waits a random time between 0 and
// min(cap, base · 2^n), so many workstations coming back at once do not arrive together.
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.floor(random() * exp);
}
