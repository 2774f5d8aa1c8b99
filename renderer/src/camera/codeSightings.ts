// Decides which camera reads become scans. A code held in front of the camera is decoded
// on frame after frame; the operator means one scan. So a code is reported when it has
// not been seen for GONE_AFTER_MS: the first time it appears, or when it comes back after
// having left the view. Frames in which decoding misses a code that is still in view
// (motion blur, glare) are bridged by the same gap, so they do not cause a second report.

/** How long a code must be out of sight before showing it again counts as a new scan. */
export const GONE_AFTER_MS = 2000;

export class CodeSightings {
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly goneAfterMs = GONE_AFTER_MS) {}

  /** Record that `code` was decoded at `now` (ms); true when it should be reported as a scan. */
  sighted(code: string, now: number): boolean {
    this.forgetGone(now);
    const isNew = !this.lastSeen.has(code);
    this.lastSeen.set(code, now);
    return isNew;
  }

  private forgetGone(now: number): void {
    for (const [code, seen] of this.lastSeen) {
      if (now - seen >= this.goneAfterMs) this.lastSeen.delete(code);
    }
  }
}
