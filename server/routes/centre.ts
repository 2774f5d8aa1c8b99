// The centre's own figures for a workstation: GET /v1/centre/summary (every desk of the
// caller's centre, never another centre's). Same device authentication as the other
// workstation routes, so a revoked device gets 401 at once (the token is checked on every
// call; only the figures are shared, centre by centre: ledger/centre-summary-cache.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServerContext } from '../context';
import { admissionGate } from '../http/admission';
import { principalOf } from '../http/auth';
import * as api from '../../shared/protocol/central-api';
import { problems } from '../http/route-schema';
import { centreSummary } from '../ledger/centre-summary';
import { centreSummaryCache } from '../ledger/centre-summary-cache';

export const centreRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  // One summary read at a time per process, whatever the number of dashboards and centres.
  const summaries = centreSummaryCache((centre, asOf) => centreSummary(ctx.db, centre, asOf), ctx.now, ctx.centreSummaryWindowMs, admissionGate(1));
  app.get(
    '/v1/centre/summary',
    {
      config: { audience: 'device' },
      schema: {
        summary: "The caller's centre as the server holds it: totals, flags and decisions by kind, each workstation",
        // Unknown fields are refused here as everywhere (contracts.md §3).
        querystring: api.emptyRequest,
        response: { 200: api.centreSummaryResponse, ...problems(400, 401, 403) },
      },
    },
    // The centre comes from the token alone: there is no parameter that could name another.
    async (request, reply) => reply.send(await summaries.get(principalOf(request, 'device'))),
  );
};
