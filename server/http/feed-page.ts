// Cursor paging, the same for every feed the server offers (GET /v1/register, GET /v1/changes,
// GET /v1/admin/events): `after` is the last event id seen, `next` is never null. The query
// itself is checked by the route's schema (api.feedQuery or adminEventsQuery).

/** The cursor and page size of a checked feed query. */
export function feedPage(query: { after?: string | undefined; limit?: number | undefined }, defaultLimit: number): { after: number; limit: number } {
  return { after: Number(query.after ?? '0'), limit: query.limit ?? defaultLimit };
}

/** The last event's id, or the same cursor when the page is empty. */
export function nextCursor(rows: ReadonlyArray<{ event_id: number | string }>, after: number): string {
  return rows.length > 0 ? String(rows[rows.length - 1]!.event_id) : String(after);
}
