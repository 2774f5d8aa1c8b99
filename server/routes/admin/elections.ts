// Elections: created, then their close moved or renamed (workstations learn it at their next sync).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as api from '../../../shared/protocol/central-api';
import type { ServerContext } from '../../context';
import { principalOf } from '../../http/auth';
import { refuse, sendProblem } from '../../http/problem';
import { problems } from '../../http/route-schema';
import { recordAdminEvent } from '../../ledger/admin-events';
import { updateElection } from '../../ledger/update-election';
import { electionNumberOf, electionParams, isUniqueViolation, refuseUnnamedElection } from './election-number';

export const electionRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;

  app.post(
    '/v1/admin/elections',
    {
      config: { audience: 'admin' },
      schema: { summary: 'Create an election', body: api.createElectionRequest, response: { 201: api.electionOut, ...problems(400, 401, 403, 409) } },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const { electionNumber, name, closesAt } = request.body;
      const after = { electionNumber, name, closesAt: new Date(closesAt).toISOString() };
      try {
        await db.transaction(async (tx) => {
          await tx.query(`insert into elections (election_number, name, closes_at) values ($1, $2, $3)`, [electionNumber, name, closesAt]);
          await tx.query(`insert into event_counters (election_number) values ($1)`, [electionNumber]);
          await recordAdminEvent(tx, { at: ctx.now().toISOString(), actor: who.tokenId, action: 'election.created', detail: { after } });
        });
      } catch (e) {
        if (isUniqueViolation(e)) return sendProblem(reply, refuse(409, `election ${electionNumber} already exists`, 'conflict'));
        throw e;
      }
      return reply.code(201).send(after);
    },
  );

  app.patch(
    '/v1/admin/elections/:electionNumber',
    {
      config: { audience: 'admin' },
      preValidation: refuseUnnamedElection,
      schema: {
        summary: "Move an election's closing time or rename it (workstations learn it at their next sync)",
        params: electionParams,
        body: api.updateElectionRequest,
        response: { 200: api.electionOut, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const electionNumber = electionNumberOf(request.params.electionNumber)!;
      const r = await updateElection(db, electionNumber, request.body, { actor: who.tokenId, at: ctx.now() });
      if (!r.ok) return sendProblem(reply, r.error);
      // The durable record is admin_events (written with the change); the log line is for operators.
      request.log.info({ electionNumber, before: r.value.before, after: r.value.after }, 'election updated');
      return reply.send(r.value.after);
    },
  );
};
