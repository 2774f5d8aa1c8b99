// Cursor paging, the same for every feed the server offers (GET /v1/register, GET /v1/changes,
// GET /v1/admin/events): `after` is the last event id seen, `next` is never null.
import type { z } from 'zod';
import { ok, type Result } from '../../shared/result';
import { validate, type Refusal } from './problem';

type PageQuery = z.ZodType<{ after?: string | undefined; limit?: number | undefined }>;

/** The cursor and page size of a feed request, or the 400 to send. */
export function feedPage(schema: PageQuery, query: unknown, defaultLimit: number): Result<{ after: number; limit: number }, Refusal> {
  const q = validate(schema, query ?? {}, 'query');
  if (!q.ok) return q;
  return ok({ after: Number(q.value.after ?? '0'), limit: q.value.limit ?? defaultLimit });
}

/** The last event's id, or the same cursor when the page is empty. */
export function nextCursor(rows: ReadonlyArray<{ event_id: number | string }>, after: number): string {
  return rows.length > 0 ? String(rows[rows.length - 1]!.event_id) : String(after);
}
