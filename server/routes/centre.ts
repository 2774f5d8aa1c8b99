// The centre's own figures for a workstation: GET /v1/centre/summary (every desk of the
// caller's centre, never another centre's). Same device authentication as the other
// workstation routes, so a revoked device gets 401 at once.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { authenticate } from '../http/auth';
import * as api from '../../shared/protocol/central-api';
import { sendProblem, validate } from '../http/problem';
import { centreSummary } from '../ledger/centre-summary';

export function centreRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1/centre/summary', async (request, reply) => {
    const who = await authenticate(ctx.db, request, ['device'] as const);
    if (!who.ok) return sendProblem(reply, who.error);
    // Unknown fields are refused here as everywhere (contracts.md §3).
    const q = validate(api.emptyRequest, request.query ?? {}, 'query');
    if (!q.ok) return sendProblem(reply, q.error);
    // The centre comes from the token alone: there is no parameter that could name another.
    return reply.send(await centreSummary(ctx.db, who.value, ctx.now()));
  });
}
