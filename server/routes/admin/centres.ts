// Counting centres, each in one election.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as api from '../../../shared/protocol/central-api';
import type { ServerContext } from '../../context';
import { principalOf } from '../../http/auth';
import { refuse, sendProblem } from '../../http/problem';
import { problems } from '../../http/route-schema';
import { recordAdminEvent } from '../../ledger/admin-events';
import { isUniqueViolation } from './election-number';

export const centreAdminRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  app.post(
    '/v1/admin/centres',
    {
      config: { audience: 'admin' },
      schema: { summary: 'Create a counting centre', body: api.createCentreRequest, response: { 201: api.centreOut, ...problems(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const { centreId, name, electionNumber } = request.body;
      const { rows } = await db.query(`select 1 from elections where election_number = $1`, [electionNumber]);
      if (rows.length === 0) return sendProblem(reply, refuse(404, `election ${electionNumber} does not exist`, 'not_found'));
      try {
        await db.transaction(async (tx) => {
          await tx.query(`insert into centres (centre_id, name, election_number) values ($1, $2, $3)`, [centreId, name, electionNumber]);
          await recordAdminEvent(tx, { at: ctx.now().toISOString(), actor: who.tokenId, action: 'centre.created', detail: { after: { centreId, name, electionNumber } } });
        });
      } catch (e) {
        if (isUniqueViolation(e)) return sendProblem(reply, refuse(409, `centre ${centreId} already exists`, 'conflict'));
        throw e;
      }
      return reply.code(201).send({ centreId, name, electionNumber });
    },
  );
};
