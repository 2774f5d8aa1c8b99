// The append-only, hash-chained audit log: hash = SHA-256(prevHash ‖ canonical JSON of the
// entry). The head is read from the database on each append (a primary-key lookup) rather
// than cached, so a rolled-back transaction can never leave a stale head behind.
import { hash } from 'node:crypto';
import type { Db } from '../db/open';
import type { AuditEvent } from '../../../../shared/audit/events';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string | null;
  event: string;
  detail: unknown;
}

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, record: AuditRecord): string {
  return hash('sha256', prevHash + canonicalJson(record), 'hex');
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export class AuditLog {
  private readonly headStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.headStmt = db.prepare<[], AuditHead>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO audit (seq, at, actor, event, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  head(): AuditHead {
    return this.headStmt.get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Appends one entry; call inside the transaction that writes what it records. */
  append(event: AuditEvent, actor: string | null, detail: Record<string, unknown>, at: Date): AuditHead {
    const prev = this.head();
    const record: AuditRecord = { seq: prev.seq + 1, at: at.toISOString(), actor, event, detail };
    const hash = entryHash(prev.hash, record);
    this.insertStmt.run(record.seq, record.at, actor, event, canonicalJson(detail), prev.hash, hash);
    return { seq: record.seq, hash };
  }
}
