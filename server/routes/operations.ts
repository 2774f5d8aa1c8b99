// Routes for operators of the server itself: health, metrics and the API description.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { buildOpenApiDocument } from '../http/openapi';
import { refuse, sendProblem } from '../http/problem';

export function operationsRoutes(app: FastifyInstance, ctx: ServerContext, serve: { metrics: boolean }): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await ctx.db.query('select 1');
      return reply.send({ status: 'ok' });
    } catch {
      return sendProblem(reply, refuse(503, 'the database does not answer', 'database_unavailable'));
    }
  });
  // Without `--metrics-port` the metrics stay on the API's port, as documented (docs/server.md).
  if (serve.metrics) {
    app.get('/metrics', async (_request, reply) => {
      return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
    });
  }
  const openapi = JSON.stringify(buildOpenApiDocument());
  app.get('/v1/openapi.json', async (_request, reply) => reply.type('application/json').send(openapi));
}
