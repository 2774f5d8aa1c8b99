// Reading the audit log for people: filtered by event (a full name like `scan.recorded`, or a
// family like `scan`), by person (part of a name, any case, or a person id), by time, newest
// first, in pages. Each entry carries its person's name: people read names, not ids.
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
    // Part of a name, in any case and any script (SQLite's own case folding is ASCII only):
    // the few people of a desk are matched here, their ids then searched by the index.
    const wanted = filter.actor.trim().toLocaleLowerCase();
    const people = db.prepare('SELECT id, name FROM people').all() as Array<{ id: string; name: string }>;
    const ids = people.filter((p) => p.name.toLocaleLowerCase().includes(wanted)).map((p) => p.id);
    where.push('(a.actor = @actor OR a.actor IN (SELECT value FROM json_each(@actorIds)))');
    params.actor = filter.actor.trim();
    params.actorIds = JSON.stringify(ids);
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
    .prepare(
      `SELECT a.seq, a.at, a.actor, p.name AS actor_name, a.event, a.detail, a.hash
         FROM audit a LEFT JOIN people p ON p.id = a.actor
         ${clause} ORDER BY a.seq DESC LIMIT @limit OFFSET @offset`,
    )
    .all(params) as Array<{ seq: number; at: string; actor: string | null; actor_name: string | null; event: string; detail: string; hash: string }>;
  return {
    total,
    rows: rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, actorName: r.actor_name, event: r.event, detail: JSON.parse(r.detail) as unknown, hash: r.hash })),
  };
}
