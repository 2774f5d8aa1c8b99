// The centre's own figures for a workstation: GET /v1/centre/summary (every desk of the
// caller's centre, never another centre's). Same device authentication as the other
// workstation routes, so a revoked device gets 401 at once (the token is checked on every
// call; only the figures are shared, centre by centre: ledger/centre-summary-cache.ts).
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { admissionGate } from '../http/admission';
import { authenticate } from '../http/auth';
import * as api from '../../shared/protocol/central-api';
import { sendProblem, validate } from '../http/problem';
import { centreSummary } from '../ledger/centre-summary';
import { centreSummaryCache } from '../ledger/centre-summary-cache';

export function centreRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // One summary read at a time per process, whatever the number of dashboards and centres.
  const summaries = centreSummaryCache((centre, asOf) => centreSummary(ctx.db, centre, asOf), ctx.now, ctx.centreSummaryWindowMs, admissionGate(1));
  app.get('/v1/centre/summary', async (request, reply) => {
    const who = await authenticate(ctx.db, request, ['device'] as const);
    if (!who.ok) return sendProblem(reply, who.error);
    // Unknown fields are refused here as everywhere (contracts.md §3).
    const q = validate(api.emptyRequest, request.query ?? {}, 'query');
    if (!q.ok) return sendProblem(reply, q.error);
    // The centre comes from the token alone: there is no parameter that could name another.
    return reply.send(await summaries.get(who.value));
  });
}
