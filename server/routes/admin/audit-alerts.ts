// Workstations whose audit history was cut or rewritten after the server witnessed it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as api from '../../../shared/protocol/central-api';
import type { ServerContext } from '../../context';
import { problems } from '../../http/route-schema';
import { auditAlerts } from '../../ledger/audit-heads';

export const auditAlertRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  app.get(
    '/v1/admin/audit-alerts',
    {
      config: { audience: 'admin' },
      schema: { summary: 'Workstations whose audit history was cut or rewritten after the server witnessed it', response: { 200: api.auditAlertsResponse, ...problems(401, 403) } },
    },
    async (_request, reply) => reply.send({ alerts: await auditAlerts(ctx.db) }),
  );
};
