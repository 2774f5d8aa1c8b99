// GET /v1/admin/events as zod schemas: the route validates its query with them, the OpenAPI
// document is generated from them and the admin CLI parses answers with them. Server-only (no
// workstation reads this feed), so they live here rather than in shared/protocol.
import { z } from 'zod';
import { cursor, feedQuery } from '../../shared/protocol/central-api';

export const ADMIN_ACTIONS = [
  'election.created',
  'election.updated',
  'centre.created',
  'enrolment_code.created',
  'integration_token.created',
  'device.revoked',
  'integration_token.revoked',
] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/** The workstation feeds' query, with smaller pages. */
export const adminEventsQuery = feedQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).optional() }).strict();

export const adminEventOut = z.object({
  eventId: cursor,
  at: z.iso.datetime({ offset: true }),
  actor: z.string().describe("the admin token's id (a prefix of its hash), never the token"),
  action: z.enum(ADMIN_ACTIONS),
  detail: z.record(z.string(), z.unknown()).describe('what changed; before and after where something was replaced'),
});
export type AdminEventOut = z.infer<typeof adminEventOut>;

export const adminEventsResponse = z.object({ events: z.array(adminEventOut), next: cursor });
