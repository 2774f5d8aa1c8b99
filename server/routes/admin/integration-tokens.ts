// The online-voting platform's tokens: made, and revoked at once. A leaked platform token is
// stopped in every server process (tokens are looked up on every request, never cached).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../../shared/protocol/central-api';
import type { ServerContext } from '../../context';
import { principalOf } from '../../http/auth';
import { refuse, sendProblem } from '../../http/problem';
import { absentIsEmpty, problems } from '../../http/route-schema';
import { recordAdminEvent } from '../../ledger/admin-events';
import { hashToken, newToken, tokenIdOf } from '../../security/tokens';

export const integrationTokenRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;

  app.post(
    '/v1/admin/integration-tokens',
    {
      config: { audience: 'admin' },
      schema: { summary: 'Make a token for the online-voting platform', body: absentIsEmpty(api.emptyRequest), response: { 201: api.tokenResponse, ...problems(400, 401, 403) } },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const token = newToken('integration');
      const hash = hashToken(token);
      const at = ctx.now().toISOString();
      await db.transaction(async (tx) => {
        await tx.query(`insert into access_tokens (token_hash, kind, created_at) values ($1, 'integration', $2)`, [hash, at]);
        await recordAdminEvent(tx, { at, actor: who.tokenId, action: 'integration_token.created', detail: { tokenId: tokenIdOf(hash) } });
      });
      return reply.code(201).send({ token, tokenId: tokenIdOf(hash) });
    },
  );

  app.post(
    '/v1/admin/integration-tokens/:tokenId/revoke',
    {
      config: { audience: 'admin' },
      schema: {
        summary: "Revoke the online-voting platform's token at once",
        params: z.object({ tokenId: z.string() }),
        body: absentIsEmpty(api.emptyRequest),
        response: { 200: api.integrationTokenRevokeResponse, ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const who = principalOf(request, 'admin');
      const { tokenId } = request.params;
      if (!/^[0-9a-f]{16}$/.test(tokenId)) return sendProblem(reply, refuse(404, `no integration token ${tokenId}`, 'not_found'));
      const at = ctx.now().toISOString();
      const revokedAt = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ token_hash: string; revoked_at: Date | null }>(
          `select token_hash, revoked_at from access_tokens where kind = 'integration' and left(token_hash, 16) = $1 for update`,
          [tokenId],
        );
        if (rows.length !== 1) return null;
        const { rows: done } = await tx.query<{ revoked_at: Date }>(
          `update access_tokens set revoked_at = coalesce(revoked_at, $2) where token_hash = $1 returning revoked_at`,
          [rows[0]!.token_hash, at],
        );
        await recordAdminEvent(tx, {
          at,
          actor: who.tokenId,
          action: 'integration_token.revoked',
          detail: { tokenId, before: { revokedAt: rows[0]!.revoked_at?.toISOString() ?? null }, after: { revokedAt: done[0]!.revoked_at.toISOString() } },
        });
        return done[0]!.revoked_at.toISOString();
      });
      if (!revokedAt) return sendProblem(reply, refuse(404, `no integration token ${tokenId}`, 'not_found'));
      return reply.send({ tokenId, revokedAt });
    },
  );
};
