// The witnessed head: the central server keeps every head of this desk's audit chain it was
// sent (POST /v1/audit-heads) and gives back the last one (GET /v1/audit-heads/latest). A chain
// that still verifies end to end may have lost its newest entries, or had them rewritten, by
// someone who dropped the triggers; it cannot also keep the (seq, hash) the server saw. So the
// desk checks that its chain contains the last witnessed head, at start-up and on Verify when
// the server answers, and against the copy it keeps (witnessed_heads) when it does not. A chain
// that does not contain it is reported like a broken chain: the same blocking warning, naming
// the witnessed entry and time. What this proves: nothing the server witnessed was removed or
// changed since; what it cannot prove: entries written after the last witnessed head.
import type { AuditStatus, WitnessedHeadCheck } from '../../../../shared/api/types';
import type { Db } from '../db/open';
import type { AuditLog } from './log';

export interface WitnessedHead {
  seq: number;
  hash: string;
  witnessedAt: string;
}

interface Finding {
  check: WitnessedHeadCheck;
  /** words for people when the chain does not contain the head */
  problem: string | null;
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');

export class WitnessGuard {
  private finding: Finding | null = null;
  /** the server's own words, from a 409 audit_history_rewritten */
  private serverSaid: string | null = null;
  private readonly reported = new Set<string>();
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      hashAt: db.prepare<[number], { hash: string }>('SELECT hash FROM audit WHERE seq = ?'),
      last: db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'),
      kept: db.prepare<[], { seq: number; hash: string; witnessed_at: string }>('SELECT seq, hash, witnessed_at FROM witnessed_heads ORDER BY seq DESC, witnessed_at DESC LIMIT 1'),
      keep: db.prepare<[number, string, string, string]>('INSERT OR IGNORE INTO witnessed_heads (seq, hash, witnessed_at, learnt_at) VALUES (?, ?, ?, ?)'),
    };
  }

  /** The last head the server said it witnessed, as kept here. */
  kept(): WitnessedHead | null {
    const k = this.s.kept.get();
    return k ? { seq: k.seq, hash: k.hash, witnessedAt: k.witnessed_at } : null;
  }

  /** Keeps a head the server said it witnessed (its answer to a POST, or the latest it gave). */
  keep(head: WitnessedHead, now: Date): void {
    this.s.keep.run(head.seq, head.hash, head.witnessedAt, now.toISOString());
  }

  /**
   * Compares the chain with `head`, remembers the result for auditStatus(), and appends
   * audit.history_rewritten the first time a head is found missing. Returns the check.
   */
  compare(head: WitnessedHead, source: WitnessedHeadCheck['source'], now: Date): WitnessedHeadCheck {
    const problem = this.problemWith(head);
    const check: WitnessedHeadCheck = { seq: head.seq, witnessedAt: head.witnessedAt, source, contained: problem === null };
    this.finding = { check, problem };
    const key = `${head.seq}:${head.hash}`;
    if (problem && !this.reported.has(key)) {
      this.reported.add(key);
      this.db.transaction(() => this.audit.append('audit.history_rewritten', null, { witnessedSeq: head.seq, witnessedHash: head.hash, witnessedAt: head.witnessedAt, source, problem }, now)).immediate();
    }
    return check;
  }

  /** Compares the chain with the newest head kept here (offline start, Verify without the server). */
  compareKept(now: Date): WitnessedHeadCheck | null {
    const k = this.kept();
    return k ? this.compare(k, 'kept', now) : null;
  }

  /**
   * The chain here was found not to hold what the server witnessed (or the server said so). Its
   * heads are then not sent to be witnessed: the server cannot tell that a later head does not
   * descend from the one it saw, and must not move its witnessed head onto the rewritten history.
   */
  historyRewritten(): boolean {
    return Boolean(this.finding?.problem) || this.serverSaid !== null;
  }

  /** The server refused a head with 409 audit_history_rewritten: its words are shown until the chain checks out again. */
  serverRefusedHead(detail: string): void {
    this.serverSaid = detail;
  }

  /** The chain's own check with what the witnessed head adds: a head not contained is as broken as a broken chain. */
  combine(chain: AuditStatus): AuditStatus {
    const witnessed = this.finding?.check ?? null;
    if (!chain.ok) return { ...chain, witnessed };
    if (this.finding?.problem) return { ok: false, entries: chain.entries, firstBrokenSeq: this.finding.check.seq, problem: this.finding.problem, witnessed };
    if (this.serverSaid) {
      return {
        ok: false,
        entries: chain.entries,
        firstBrokenSeq: witnessed?.seq ?? null,
        problem: `history was removed or rewritten after the central server witnessed it; the central server says: ${this.serverSaid}`,
        witnessed,
      };
    }
    return { ...chain, witnessed };
  }

  private problemWith(head: WitnessedHead): string | null {
    if (head.seq === 0) return null;
    const here = this.s.hashAt.get(head.seq);
    if (here && here.hash === head.hash) return null;
    const at = when(head.witnessedAt);
    if (!here) {
      const last = this.s.last.get();
      return `history was removed after the central server witnessed it: the server witnessed entry ${head.seq} of this desk's audit log at ${at}, but the log here ${last ? `ends at entry ${last.seq}` : 'is empty'}`;
    }
    return `history was rewritten after the central server witnessed it: entry ${head.seq} here is not the entry the server witnessed at ${at}`;
  }
}
