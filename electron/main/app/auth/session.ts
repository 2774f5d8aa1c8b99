// The one session of this workstation: who is signed in, and when they last did anything.
// An idle session locks (ends) on the next call after the idle time, whatever the renderer does.
import type { SessionInfo } from '../../../../shared/api/types';

export class Session {
  private current: SessionInfo | null = null;
  private lastActivityMs = 0;

  constructor(private readonly idleLockMs: () => number) {}

  get info(): SessionInfo | null {
    return this.current;
  }

  start(info: SessionInfo, now: Date): void {
    this.current = info;
    this.lastActivityMs = now.getTime();
  }

  end(): SessionInfo | null {
    const was = this.current;
    this.current = null;
    return was;
  }

  /** Ends the session if it has been idle too long; returns who was locked out, if anyone. */
  expireIfIdle(now: Date): SessionInfo | null {
    if (this.current && now.getTime() - this.lastActivityMs > this.idleLockMs()) return this.end();
    return null;
  }

  touch(now: Date): void {
    this.lastActivityMs = now.getTime();
  }
}
