// The workstation's routes (contracts.md §3): enrolment, its election, the register copy,
// receipts, the changes feed, flag resolutions and audit-chain heads.
import type { FastifyInstance } from 'fastify';
import * as api from '../../shared/protocol/central-api';
import type { ServerContext } from '../context';
import { authenticate, type DevicePrincipal } from '../http/auth';
import { feedPage, nextCursor } from '../http/feed-page';
import { refuse, sendProblem, validate } from '../http/problem';
import { perAddressPerMinute } from '../http/rate-limit';
import { admissionGate } from '../http/admission';
import { enrolWorkstation } from '../ledger/enrol-workstation';
import { receiveReceipts } from '../ledger/receive-receipts';
import { resolveFlag } from '../ledger/resolve-flag';
import { latestAuditHead, witnessAuditHead } from '../ledger/audit-heads';
import { deskClockRecorder } from '../ledger/desk-clocks';

const DEFAULT_FEED_LIMIT = 1000;

interface RegisterEventRow {
  event_id: number;
  ballot_number: number;
  issue: number;
  status: api.RegisterEntry['status'];
  member_ref: string;
  online_voted: boolean;
  online_voted_at: Date | null;
}

/** A register feed entry; `onlineVotedAt` only for a member who voted online (see the schema). */
function registerEntryOf(r: RegisterEventRow): api.RegisterEntry {
  const entry: api.RegisterEntry = { ballotNumber: r.ballot_number, issue: r.issue, status: r.status, memberRef: r.member_ref, onlineVoted: r.online_voted };
  if (r.online_voted_at) entry.onlineVotedAt = r.online_voted_at.toISOString();
  return entry;
}

/**
 * The same field built in SQL for the changes feed, written as JavaScript's toISOString() writes
 * it (UTC, milliseconds, "Z") so both feeds give a workstation the same text for the same time.
 */
const ONLINE_VOTED_AT_JSON = `case when online_voted_at is null then '{}'::jsonb
  else jsonb_build_object('onlineVotedAt', to_char(online_voted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) end`;

export function workstationRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { db } = ctx;
  const batches = admissionGate(4);

  app.post('/v1/enrol', { config: perAddressPerMinute(ctx.enrolAttemptsPerMinute) }, async (request, reply) => {
    const body = validate(api.enrolRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    const r = await enrolWorkstation(db, body.value.enrolmentCode, body.value.workstationName, ctx.now());
    if (!r.ok) return sendProblem(reply, r.error);
    request.log.info({ deviceId: r.value.deviceId, centreId: r.value.centreId }, 'workstation enrolled');
    return reply.code(201).send(r.value);
  });

  const noteDeskClock = deskClockRecorder(db, ctx.now);
  /** Device auth for the routes below; undefined when a refusal was already sent. */
  const device = async (request: Parameters<typeof authenticate>[1], reply: Parameters<typeof sendProblem>[0]): Promise<DevicePrincipal | undefined> => {
    const who = await authenticate(db, request, ['device'] as const);
    if (!who.ok) {
      sendProblem(reply, who.error);
      return undefined;
    }
    noteDeskClock(who.value.deviceId, request.headers['x-desk-clock']);
    return who.value;
  };

  app.get('/v1/election', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const { rows } = await db.query<{ name: string; closes_at: Date }>(`select name, closes_at from elections where election_number = $1`, [ws.electionNumber]);
    return reply.send({ electionNumber: ws.electionNumber, name: rows[0]!.name, closesAt: rows[0]!.closes_at.toISOString(), centreId: ws.centreId, centreName: ws.centreName });
  });

  app.get('/v1/register', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const page = feedPage(api.feedQuery, request.query, DEFAULT_FEED_LIMIT);
    if (!page.ok) return sendProblem(reply, page.error);
    const { after, limit } = page.value;
    const { rows } = await db.query<RegisterEventRow>(
      `select event_id, ballot_number, issue, status, member_ref, online_voted, online_voted_at from register_events
        where election_number = $1 and event_id > $2 order by event_id limit $3`,
      [ws.electionNumber, after, limit],
    );
    return reply.send({ entries: rows.map(registerEntryOf), next: nextCursor(rows, after) });
  });

  app.post('/v1/receipts', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const body = validate(api.receiptsRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    // The close is read inside the batch's transaction (receive-receipts.ts), not here: a batch
    // may wait at the gate while the returning officer moves it.
    const results = await batches.run(() => receiveReceipts(db, ws, body.value.receipts, ctx.now));
    for (const r of results) ctx.metrics.receipts.inc({ outcome: r.outcome, kind: r.flag?.kind ?? r.error ?? 'none' });
    return reply.send({ results });
  });

  app.get('/v1/changes', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const page = feedPage(api.feedQuery, request.query, DEFAULT_FEED_LIMIT);
    if (!page.ok) return sendProblem(reply, page.error);
    const { after, limit } = page.value;
    const { rows } = await db.query<{ event_id: number; payload: Record<string, unknown> }>(
      // Each branch takes its own first `limit` events by index before the union, so a page
      // costs the same wherever the cursor is (one outer sort over everything after the
      // cursor made each page slower the further back a workstation started).
      `select event_id, payload from (
         (select event_id, payload from change_events where centre_id = $1 and event_id > $3
           order by event_id limit $4)
         union all
         (select event_id, jsonb_build_object('type', 'register', 'entry', jsonb_build_object(
                  'ballotNumber', ballot_number, 'issue', issue, 'status', status, 'memberRef', member_ref, 'onlineVoted', online_voted)
                  || ${ONLINE_VOTED_AT_JSON})
           from register_events where election_number = $2 and event_id > $3
           order by event_id limit $4)
       ) e order by event_id limit $4`,
      [ws.centreId, ws.electionNumber, after, limit],
    );
    const events = rows.map((r) => ({ ...r.payload, eventId: String(r.event_id) }));
    return reply.send({ events, next: nextCursor(rows, after) });
  });

  app.post<{ Params: { flagId: string } }>('/v1/flags/:flagId/resolution', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const body = validate(api.resolutionRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    // A flag id that is not a UUID names no flag.
    if (!api.resolutionOut.shape.flagId.safeParse(request.params.flagId).success) return sendProblem(reply, refuse(404, 'no such flag at this centre', 'not_found'));
    const r = await resolveFlag(db, ws, request.params.flagId.toLowerCase(), body.value, ctx.now);
    if (!r.ok) return sendProblem(reply, r.error);
    return reply.send(r.value);
  });

  app.post('/v1/audit-heads', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const body = validate(api.auditHeadRequest, request.body);
    if (!body.ok) return sendProblem(reply, body.error);
    const r = await witnessAuditHead(db, ws, body.value, ctx.now());
    if (!r.ok) {
      ctx.metrics.auditAlerts.inc();
      request.log.warn({ deviceId: ws.deviceId, centreId: ws.centreId, sent: body.value.seq, witnessed: r.error.witnessed.seq }, 'audit history rewritten');
      const w = r.error.witnessed;
      return sendProblem(
        reply,
        refuse(409, `this workstation's audit history was removed or rewritten after the server witnessed seq ${w.seq} at ${w.witnessedAt.toISOString()}: ${r.error.reason}`, api.AUDIT_HISTORY_REWRITTEN),
      );
    }
    return reply.send({ witnessedAt: r.value.witnessedAt.toISOString() });
  });

  app.get('/v1/audit-heads/latest', async (request, reply) => {
    const ws = await device(request, reply);
    if (!ws) return reply;
    const head = await latestAuditHead(db, ws.deviceId);
    if (!head) return sendProblem(reply, refuse(404, 'no audit head of this workstation has been witnessed yet', 'not_found'));
    return reply.send(head);
  });
}
