// The administrators' record (admin_events, append-only), oldest first, by cursor (as the
// workstation feeds page). Every admin route that changes something appends its row there.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerContext } from '../../context';
import { adminEventsQuery, adminEventsResponse } from '../../http/admin-events-api';
import { feedPage } from '../../http/feed-page';
import { problems } from '../../http/route-schema';
import { adminEventsAfter } from '../../ledger/admin-events';

export const adminEventRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/admin/events',
    {
      config: { audience: 'admin' },
      schema: {
        summary: "The administrators' record (append-only), oldest first, by cursor",
        querystring: adminEventsQuery,
        response: { 200: adminEventsResponse, ...problems(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { after, limit } = feedPage(request.query, 100);
      return reply.send(await adminEventsAfter(ctx.db, after, limit));
    },
  );
};
