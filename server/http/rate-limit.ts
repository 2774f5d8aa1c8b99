// A per-client-address attempt limit (enrolment codes must not be guessable by trying).
// Kept in process memory: with N server processes an address gets at most N× the limit,
// which still makes guessing a 60-bit code hopeless.
export interface RateLimiter {
  /** true when this attempt is allowed */
  attempt(key: string): boolean;
}

export function fixedWindowLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    attempt(key) {
      const t = now();
      if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= 60_000) windows.delete(k);
      const w = windows.get(key);
      if (!w || t - w.start >= 60_000) {
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count++;
      return w.count <= perMinute;
    },
  };
}
