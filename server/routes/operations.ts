// Routes for operators of the server itself: health, metrics and the API description.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { refuse, sendProblem } from '../http/problem';
import { problems } from '../http/route-schema';

const open = { audience: 'none' } as const;

export const operationsRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext; metrics: boolean }> = async (app, { ctx, metrics }) => {
  app.get(
    '/healthz',
    { config: open, schema: { summary: 'Healthy when the database answers', response: { 200: z.object({ status: z.literal('ok') }), ...problems(503) } } },
    async (_request, reply) => {
      try {
        await ctx.db.query('select 1');
        return reply.send({ status: 'ok' });
      } catch {
        return sendProblem(reply, refuse(503, 'the database does not answer', 'database_unavailable'));
      }
    },
  );
  // Without `--metrics-port` the metrics stay on the API's port, as documented (docs/server.md).
  if (metrics) {
    app.get(
      '/metrics',
      { config: open, schema: { summary: 'Prometheus metrics', response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } } } } },
      async (_request, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
    );
  }
  // Written by @fastify/swagger (http/openapi.ts) from the routes as registered, on first request (then cached).
  app.get(
    '/v1/openapi.json',
    { config: open, schema: { summary: 'This document', response: { 200: z.object({ openapi: z.string() }).loose() } } },
    async (_request, reply) => reply.send(app.swagger() as { openapi: string }),
  );
};
