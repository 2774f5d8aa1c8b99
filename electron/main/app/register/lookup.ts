// Reads of the local register copy. The active table (a or b) is chosen by register_state;
// statements are prepared per table once, so a lookup is one primary-key probe.
import type { RegisterStatus } from '../../../../shared/domain';
import type { Db } from '../db/open';

export interface RegisterEntry {
  ballotNumber: number;
  issue: number;
  status: RegisterStatus;
  memberRef: string;
  onlineVoted: boolean;
  /** when the member voted online, where the server told us (never from a register file) */
  onlineVotedAt: string | null;
}

interface Row {
  ballot_number: number;
  issue: number;
  status: RegisterStatus;
  member_ref: string;
  online_voted: number;
  online_voted_at: string | null;
}

const entry = (r: Row): RegisterEntry => ({
  ballotNumber: r.ballot_number,
  issue: r.issue,
  status: r.status,
  memberRef: r.member_ref,
  onlineVoted: r.online_voted === 1,
  onlineVotedAt: r.online_voted_at,
});

export type RegisterTable = 'register_a' | 'register_b';

export class RegisterLookup {
  private readonly stateStmt;
  private readonly byTable;

  constructor(db: Db) {
    this.stateStmt = db.prepare<[], { active: 'a' | 'b'; rows: number }>('SELECT active, rows FROM register_state WHERE id = 1');
    const prepare = (t: RegisterTable) => ({
      pack: db.prepare<[number, number], Row>(`SELECT * FROM ${t} WHERE ballot_number = ? AND issue = ?`),
      member: db.prepare<[string], Row>(`SELECT * FROM ${t} WHERE member_ref = ? ORDER BY issue`),
    });
    this.byTable = { register_a: prepare('register_a'), register_b: prepare('register_b') };
  }

  activeTable(): RegisterTable {
    return this.stateStmt.get()!.active === 'a' ? 'register_a' : 'register_b';
  }

  rows(): number {
    return this.stateStmt.get()!.rows;
  }

  pack(ballotNumber: number, issue: number): RegisterEntry | null {
    const r = this.byTable[this.activeTable()].pack.get(ballotNumber, issue);
    return r ? entry(r) : null;
  }

  memberPacks(memberRef: string): RegisterEntry[] {
    return this.byTable[this.activeTable()].member.all(memberRef).map(entry);
  }
}
