// Enrolment codes: single-use, for one centre, printed with the server's key fingerprint over https.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/protocol/central-api';
import { showFingerprint } from '../../../shared/security/server-key';
import type { ServerContext } from '../../context';
import { principalOf } from '../../http/auth';
import { refuse, sendProblem } from '../../http/problem';
import { absentIsEmpty, problems } from '../../http/route-schema';
import { recordAdminEvent } from '../../ledger/admin-events';
import { hashEnrolmentCode, newEnrolmentCode } from '../../security/tokens';

const enrolmentCodeRequest = z.object({ validMinutes: z.number().int().min(1).max(60 * 24 * 30).optional() }).strict();

export const enrolmentCodeRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  app.post(
    '/v1/admin/centres/:centreId/enrolment-codes',
    {
      config: { audience: 'admin' },
      schema: {
        summary: 'Make an enrolment code for a centre',
        params: z.object({ centreId: z.string() }),
        body: absentIsEmpty(enrolmentCodeRequest),
        response: { 201: api.enrolmentCodeResponse, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const { centreId } = request.params;
      const { rows } = await db.query(`select 1 from centres where centre_id = $1`, [centreId]);
      if (rows.length === 0) return sendProblem(reply, refuse(404, `centre ${centreId} does not exist`, 'not_found'));
      const code = newEnrolmentCode();
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + (request.body.validMinutes ?? ctx.enrolmentCodeMinutes) * 60_000).toISOString();
      await db.transaction(async (tx) => {
        await tx.query(`insert into enrolment_codes (code_hash, centre_id, expires_at, created_at) values ($1, $2, $3, $4)`, [
          hashEnrolmentCode(code),
          centreId,
          expiresAt,
          now.toISOString(),
        ]);
        // Never the code (nor its hash: a 60-bit code's plain hash could be searched for).
        await recordAdminEvent(tx, { at: now.toISOString(), actor: who.tokenId, action: 'enrolment_code.created', detail: { centreId, expiresAt } });
      });
      return reply.code(201).send({ enrolmentCode: code, expiresAt, ...(ctx.serverKey ? { serverKey: showFingerprint(ctx.serverKey) } : {}) });
    },
  );
};
