// Checks the audit chain from the first entry: each entry's prev_hash is the previous hash,
// each hash recomputes, sequence numbers have no gaps. Reports the first broken seq.
import type { AuditStatus } from '../../../../shared/api/types';
import type { Db } from '../db/open';
import { entryHash, GENESIS_HASH } from './log';

interface Row {
  seq: number;
  at: string;
  actor: string | null;
  event: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export function verifyAuditChain(db: Db): AuditStatus {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  const broken = (seq: number, problem: string): AuditStatus => ({ ok: false, entries, firstBrokenSeq: seq, problem });
  for (const r of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<Row>) {
    if (r.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
    if (r.prev_hash !== prevHash) return broken(r.seq, `entry ${r.seq} does not follow entry ${r.seq - 1}`);
    let detail: unknown;
    try {
      detail = JSON.parse(r.detail);
    } catch {
      return broken(r.seq, `entry ${r.seq} cannot be read`);
    }
    const hash = entryHash(prevHash, { seq: r.seq, at: r.at, actor: r.actor, event: r.event, detail });
    if (hash !== r.hash) return broken(r.seq, `entry ${r.seq} was changed after it was written`);
    prevHash = r.hash;
    expectedSeq++;
    entries++;
  }
  return { ok: true, entries, firstBrokenSeq: null, problem: null };
}
