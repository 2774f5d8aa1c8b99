// The administrators' record (migration 4): every admin action appends one event in the same
// transaction as the action, so an action and its event commit together or not at all.
// Nothing here updates or deletes; the table's triggers refuse it anyway.
import type { AdminAction, AdminEventOut } from '../http/admin-events-api';
import type { Queryable } from '../db/db';
import { nextCursor } from '../http/feed-page';

export interface AdminEvent {
  at: string;
  /** the admin token's id (AdminPrincipal.tokenId) */
  actor: string;
  action: AdminAction;
  detail: Record<string, unknown>;
}

/** Appends one event. Call last in the transaction: the counter's row lock is held until commit. */
export async function recordAdminEvent(tx: Queryable, event: AdminEvent): Promise<void> {
  await tx.query(
    `with id as (update admin_event_counter set last_event_id = last_event_id + 1 returning last_event_id)
     insert into admin_events (event_id, at, actor, action, detail) select last_event_id, $1, $2, $3, $4::jsonb from id`,
    [event.at, event.actor, event.action, JSON.stringify(event.detail)],
  );
}

interface Row {
  event_id: number;
  at: Date;
  actor: string;
  action: AdminAction;
  detail: Record<string, unknown>;
}

/** One page of events after the cursor, oldest first; `next` as in the workstation feeds (never null). */
export async function adminEventsAfter(db: Queryable, after: number, limit: number): Promise<{ events: AdminEventOut[]; next: string }> {
  const { rows } = await db.query<Row>(`select event_id, at, actor, action, detail from admin_events where event_id > $1 order by event_id limit $2`, [
    after,
    limit,
  ]);
  return {
    events: rows.map((r) => ({ eventId: String(r.event_id), at: r.at.toISOString(), actor: r.actor, action: r.action, detail: r.detail })),
    next: nextCursor(rows, after),
  };
}
