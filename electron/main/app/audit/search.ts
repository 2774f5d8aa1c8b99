// Reading the audit log for people: filtered by event (a full name like `scan.recorded`, or a
// family like `scan`), by actor (person id or name), by time, newest first, in pages.
import type { AuditEntry } from '../../../../shared/api/types';
import type { Db } from '../db/open';

export interface AuditFilter {
  event?: string | undefined;
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  offset: number;
  limit: number;
}

export function searchAudit(db: Db, filter: AuditFilter): { total: number; rows: AuditEntry[] } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: filter.limit, offset: filter.offset };
  if (filter.event) {
    where.push("(a.event = @event OR a.event LIKE @eventFamily ESCAPE '\\')");
    params.event = filter.event;
    params.eventFamily = `${filter.event.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
  }
  if (filter.actor) {
    where.push('(a.actor = @actor OR a.actor IN (SELECT id FROM people WHERE name = @actor COLLATE NOCASE))');
    params.actor = filter.actor;
  }
  // Times are stored as ISO 8601 UTC strings, which sort as they read.
  if (filter.from) {
    where.push('a.at >= @from');
    params.from = new Date(filter.from).toISOString();
  }
  if (filter.to) {
    where.push('a.at <= @to');
    params.to = new Date(filter.to).toISOString();
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM audit a ${clause}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT a.seq, a.at, a.actor, a.event, a.detail, a.hash FROM audit a ${clause} ORDER BY a.seq DESC LIMIT @limit OFFSET @offset`)
    .all(params) as Array<{ seq: number; at: string; actor: string | null; event: string; detail: string; hash: string }>;
  return { total, rows: rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, event: r.event, detail: JSON.parse(r.detail) as unknown, hash: r.hash })) };
}
