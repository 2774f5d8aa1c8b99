// The online-voting platform's route: redeem a member's one-time code (contracts.md §3).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as api from '../../shared/protocol/central-api';
import type { ServerContext } from '../context';
import { refuse, sendProblem } from '../http/problem';
import { problems } from '../http/route-schema';
import { redeemOnlineCode } from '../ledger/redeem-online-code';

const REFUSALS = {
  unknown_code: refuse(404, 'no member has this online code', 'unknown_code'),
  already_redeemed: refuse(409, 'this online code was already used', 'already_redeemed'),
  postal_ballot_received: refuse(409, "the member's postal ballot was received; the online code is deactivated", 'postal_ballot_received'),
} as const;

export const onlineVotingRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/online-codes/redeem',
    {
      config: { audience: 'integration' },
      schema: { summary: "Use a member's online voting code", body: api.redeemRequest, response: { 200: api.redeemResponse, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      const r = await redeemOnlineCode(ctx.db, ctx.hashCode, request.body.code, ctx.now);
      ctx.metrics.redemptions.inc({ result: r.ok ? 'redeemed' : r.error });
      if (!r.ok) return sendProblem(reply, REFUSALS[r.error]);
      return reply.send({ status: 'redeemed', memberRef: r.value.memberRef });
    },
  );
};
