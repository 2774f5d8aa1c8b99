// Administration (contracts.md §3), behind the admin token: elections (created, then their
// close moved or renamed), centres, the register import, enrolment codes, integration tokens
// and device revocation. Each action that changes something appends its admin_events row in
// its own transaction (ledger/admin-events.ts); GET /v1/admin/events reads them back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { showFingerprint } from '../../shared/security/server-key';
import * as api from '../../shared/protocol/central-api';
import type { ServerContext } from '../context';
import { adminEventsQuery } from '../http/admin-events-api';
import { authenticate, type AdminPrincipal } from '../http/auth';
import { feedPage } from '../http/feed-page';
import { refuse, sendProblem, validate } from '../http/problem';
import { adminEventsAfter, recordAdminEvent } from '../ledger/admin-events';
import { updateElection } from '../ledger/update-election';
import { importRegister } from '../register/import-register';
import { hashEnrolmentCode, hashToken, newEnrolmentCode, newToken, tokenIdOf } from '../security/tokens';
import { sequenceGaps } from '../ledger/sequence-gaps';
import { auditAlerts } from '../ledger/audit-heads';

const enrolmentCodeRequest = z.object({ validMinutes: z.number().int().min(1).max(60 * 24 * 30).optional() }).strict();

/** An election number from a path; null when it cannot name an election (answered 404). */
function electionNumberOf(param: string): number | null {
  const n = Number(param);
  return Number.isInteger(n) && n >= 1 && n <= 9999 ? n : null;
}

const isUniqueViolation = (e: unknown): boolean => (e as { code?: string })?.code === '23505';

/** The register import is streamed: its own limit, far above any real register (10 M rows ≈ 0.5 GB). */
const MAX_REGISTER_BYTES = 4 * 2 ** 30;
class RegisterTooLarge extends Error {}

/** Counts bytes as they stream; stops the import (nothing applied) past `max`. */
async function* limitBytes(body: AsyncIterable<Uint8Array | string>, max: number): AsyncGenerator<Uint8Array | string> {
  let total = 0;
  for await (const piece of body) {
    total += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.byteLength;
    if (total > max) throw new RegisterTooLarge();
    yield piece;
  }
}

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db } = ctx;
  /** The caller, or undefined when a refusal was already sent. */
  const admin = async (request: FastifyRequest, reply: FastifyReply): Promise<AdminPrincipal | undefined> => {
    const who = await authenticate(db, request, ['admin'] as const);
    if (!who.ok) {
      sendProblem(reply, who.error);
      return undefined;
    }
    return who.value;
  };

  app.post('/v1/admin/elections', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const body = validate(api.createElectionRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    const { electionNumber, name, closesAt } = body.value;
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
  });

  app.patch<{ Params: { electionNumber: string } }>('/v1/admin/elections/:electionNumber', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const electionNumber = electionNumberOf(request.params.electionNumber);
    if (electionNumber === null) return sendProblem(reply, refuse(404, 'no such election', 'not_found'));
    const body = validate(api.updateElectionRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    const r = await updateElection(db, electionNumber, body.value, { actor: who.tokenId, at: ctx.now() });
    if (!r.ok) return sendProblem(reply, r.error);
    // The durable record is admin_events (written with the change); the log line is for operators.
    request.log.info({ electionNumber, before: r.value.before, after: r.value.after }, 'election updated');
    return reply.send(r.value.after);
  });

  app.post('/v1/admin/centres', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const body = validate(api.createCentreRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    const { centreId, name, electionNumber } = body.value;
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
  });

  app.post<{ Params: { electionNumber: string } }>(
    '/v1/admin/elections/:electionNumber/register',
    async (request, reply) => {
      if (!(await admin(request, reply))) return reply;
      const electionNumber = electionNumberOf(request.params.electionNumber);
      if (electionNumber === null) return sendProblem(reply, refuse(404, 'no such election', 'not_found'));
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Readable)[Symbol.asyncIterator] !== 'function')
        return sendProblem(reply, refuse(415, 'send the register as text/csv', 'unsupported_media_type'));
      // The import is allowed its time: a big register takes minutes to apply after the upload.
      request.raw.socket.setTimeout(0);
      let r: Awaited<ReturnType<typeof importRegister>>;
      try {
        r = await importRegister(db, electionNumber, limitBytes(body, MAX_REGISTER_BYTES), ctx.hashCode, ctx.now, (fields, message) => request.log.info(fields, message));
      } catch (e) {
        if (e instanceof RegisterTooLarge)
          return sendProblem(reply, refuse(413, `a register file may be at most ${MAX_REGISTER_BYTES / 2 ** 30} GiB; nothing was changed`, 'payload_too_large'));
        throw e;
      }
      if (!r.ok) {
        if (r.error.kind === 'no_election') return sendProblem(reply, refuse(404, `election ${electionNumber} does not exist`, 'not_found'));
        return sendProblem(reply, {
          status: 400,
          detail: `the register has ${r.error.errors.length === 1 ? 'a bad row' : 'bad rows'}; nothing was changed`,
          error: 'invalid_register',
          errors: r.error.errors,
        });
      }
      request.log.info({ electionNumber, ...r.value }, 'register imported');
      return reply.send(r.value);
    },
  );

  app.post<{ Params: { centreId: string } }>('/v1/admin/centres/:centreId/enrolment-codes', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const body = validate(enrolmentCodeRequest, request.body ?? {});
    if (!body.ok) return sendProblem(reply, body.error);
    const { rows } = await db.query(`select 1 from centres where centre_id = $1`, [request.params.centreId]);
    if (rows.length === 0) return sendProblem(reply, refuse(404, `centre ${request.params.centreId} does not exist`, 'not_found'));
    const code = newEnrolmentCode();
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + (body.value.validMinutes ?? ctx.enrolmentCodeMinutes) * 60_000).toISOString();
    await db.transaction(async (tx) => {
      await tx.query(`insert into enrolment_codes (code_hash, centre_id, expires_at, created_at) values ($1, $2, $3, $4)`, [
        hashEnrolmentCode(code),
        request.params.centreId,
        expiresAt,
        now.toISOString(),
      ]);
      // Never the code (nor its hash: a 60-bit code's plain hash could be searched for).
      await recordAdminEvent(tx, { at: now.toISOString(), actor: who.tokenId, action: 'enrolment_code.created', detail: { centreId: request.params.centreId, expiresAt } });
    });
    return reply.code(201).send({ enrolmentCode: code, expiresAt, ...(ctx.serverKey ? { serverKey: showFingerprint(ctx.serverKey) } : {}) });
  });

  app.post('/v1/admin/integration-tokens', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const body = validate(api.emptyRequest, request.body ?? {});
    if (!body.ok) return sendProblem(reply, body.error);
    const token = newToken('integration');
    const hash = hashToken(token);
    const at = ctx.now().toISOString();
    await db.transaction(async (tx) => {
      await tx.query(`insert into access_tokens (token_hash, kind, created_at) values ($1, 'integration', $2)`, [hash, at]);
      await recordAdminEvent(tx, { at, actor: who.tokenId, action: 'integration_token.created', detail: { tokenId: tokenIdOf(hash) } });
    });
    return reply.code(201).send({ token, tokenId: tokenIdOf(hash) });
  });

  // A leaked platform token is stopped at once, in every server process (tokens are looked up
  // on every request, never cached).
  app.post<{ Params: { tokenId: string } }>('/v1/admin/integration-tokens/:tokenId/revoke', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const body = validate(api.emptyRequest, request.body ?? {});
    if (!body.ok) return sendProblem(reply, body.error);
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
  });

  // Receipts a workstation numbered but the server never got (contracts.md §3: gaps in
  // workstationSeq show lost receipts). Derived from what was received, so always current.
  app.get<{ Params: { deviceId: string } }>('/v1/admin/devices/:deviceId/sequence-gaps', async (request, reply) => {
    if (!(await admin(request, reply))) return reply;
    const gaps = await sequenceGaps(db, request.params.deviceId);
    if (!gaps) return sendProblem(reply, refuse(404, `device ${request.params.deviceId} does not exist`, 'not_found'));
    return reply.send(gaps);
  });

  // Workstations whose audit history was cut or rewritten after the server witnessed it.
  app.get('/v1/admin/audit-alerts', async (request, reply) => {
    if (!(await admin(request, reply))) return reply;
    return reply.send({ alerts: await auditAlerts(db) });
  });

  app.post<{ Params: { deviceId: string } }>('/v1/admin/devices/:deviceId/revoke', async (request, reply) => {
    const who = await admin(request, reply);
    if (!who) return reply;
    const body = validate(api.emptyRequest, request.body ?? {});
    if (!body.ok) return sendProblem(reply, body.error);
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
  });

  // The administrators' record, oldest first, by cursor (as the workstation feeds page).
  app.get('/v1/admin/events', async (request, reply) => {
    if (!(await admin(request, reply))) return reply;
    const page = feedPage(adminEventsQuery, request.query, 100);
    if (!page.ok) return sendProblem(reply, page.error);
    return reply.send(await adminEventsAfter(db, page.value.after, page.value.limit));
  });
}
