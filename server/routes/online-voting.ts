// The online-voting platform's route: redeem a member's one-time code (contracts.md §3).
import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/protocol/central-api';
import type { ServerContext } from '../context';
import { authenticate } from '../http/auth';
import { refuse, sendProblem, validate } from '../http/problem';
import { redeemOnlineCode } from '../ledger/redeem-online-code';

const REFUSALS = {
  unknown_code: refuse(404, 'no member has this online code', 'unknown_code'),
  already_redeemed: refuse(409, 'this online code was already used', 'already_redeemed'),
  postal_ballot_received: refuse(409, "the member's postal ballot was received; the online code is deactivated", 'postal_ballot_received'),
} as const;

export function onlineVotingRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1/online-codes/redeem', async (request, reply) => {
    const who = await authenticate(ctx.db, request, ['integration'] as const);
    if (!who.ok) return sendProblem(reply, who.error);
    const body = validate(api.redeemRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    const r = await redeemOnlineCode(ctx.db, ctx.hashCode, body.value.code, ctx.now);
    ctx.metrics.redemptions.inc({ result: r.ok ? 'redeemed' : r.error });
    if (!r.ok) return sendProblem(reply, REFUSALS[r.error]);
    return reply.send({ status: 'redeemed', memberRef: r.value.memberRef });
  });
}
