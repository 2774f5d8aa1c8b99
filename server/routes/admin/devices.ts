// Workstations: the receipts each numbered but never sent (sequence gaps), and revocation at once.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/protocol/central-api';
import type { ServerContext } from '../../context';
import { principalOf } from '../../http/auth';
import { refuse, sendProblem } from '../../http/problem';
import { absentIsEmpty, problems } from '../../http/route-schema';
import { recordAdminEvent } from '../../ledger/admin-events';
import { sequenceGaps } from '../../ledger/sequence-gaps';

const deviceParams = z.object({ deviceId: z.string() });

export const deviceRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;

  // Receipts a workstation numbered but the server never got (contracts.md §3: gaps in
  // workstationSeq show lost receipts). Derived from what was received, so always current.
  app.get(
    '/v1/admin/devices/:deviceId/sequence-gaps',
    {
      config: { audience: 'admin' },
      schema: { summary: "Gaps in a workstation's workstationSeq (lost receipts)", params: deviceParams, response: { 200: api.sequenceGapsResponse, ...problems(401, 403, 404) } },
    },
    async (request, reply) => {
      const gaps = await sequenceGaps(db, request.params.deviceId);
      if (!gaps) return sendProblem(reply, refuse(404, `device ${request.params.deviceId} does not exist`, 'not_found'));
      return reply.send(gaps);
    },
  );

  app.post(
    '/v1/admin/devices/:deviceId/revoke',
    {
      config: { audience: 'admin' },
      schema: {
        summary: "Revoke a workstation's token at once",
        params: deviceParams,
        body: absentIsEmpty(api.emptyRequest),
        response: { 200: api.revokeResponse, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const at = ctx.now().toISOString();
      const { deviceId } = request.params;
      const revokedAt = await db.transaction(async (tx) => {
        // Locked first, so `before` is the state this call found, even with two admins at once.
        const { rows: current } = await tx.query<{ centre_id: string; revoked_at: Date | null }>(
          `select centre_id, revoked_at from devices where device_id = $1 for update`,
          [deviceId],
        );
        if (!current[0]) return null;
        const { rows } = await tx.query<{ revoked_at: Date }>(
          `update devices set revoked_at = coalesce(revoked_at, $2) where device_id = $1 returning revoked_at`,
          [deviceId, at],
        );
        await tx.query(`update access_tokens set revoked_at = coalesce(revoked_at, $2) where device_id = $1`, [deviceId, at]);
        const after = rows[0]!.revoked_at.toISOString();
        await recordAdminEvent(tx, {
          at,
          actor: who.tokenId,
          action: 'device.revoked',
          detail: { deviceId, centreId: current[0].centre_id, before: { revokedAt: current[0].revoked_at?.toISOString() ?? null }, after: { revokedAt: after } },
        });
        return after;
      });
      if (!revokedAt) return sendProblem(reply, refuse(404, `device ${deviceId} does not exist`, 'not_found'));
      request.log.info({ deviceId }, 'device revoked');
      return reply.send({ deviceId, revokedAt });
    },
  );
};
