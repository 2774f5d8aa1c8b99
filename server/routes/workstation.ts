// The workstation's routes (contracts.md §3): enrolment, its election, the register copy,
// receipts, the changes feed, flag resolutions and audit-chain heads. Each declares its
// schemas and audience; the onRequest hook has authenticated the device before a handler runs.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as api from '../../shared/protocol/central-api';
import type { ServerContext } from '../context';
import { principalOf } from '../http/auth';
import { feedPage, nextCursor } from '../http/feed-page';
import { refuse, sendProblem } from '../http/problem';
import { perAddressPerMinute } from '../http/rate-limit';
import { problems } from '../http/route-schema';
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

const device = { audience: 'device' } as const;

export const workstationRoutes: FastifyPluginAsyncZod<{ ctx: ServerContext }> = async (app, { ctx }) => {
  const { db } = ctx;
  const batches = admissionGate(4);

  // Every authenticated call of a desk tells the server its clock (for the sequence-gap report).
  const noteDeskClock = deskClockRecorder(db, ctx.now);
  app.addHook('onRequest', async (request) => {
    if (request.principal?.kind === 'device') noteDeskClock(request.principal.deviceId, request.headers['x-desk-clock']);
  });

  app.post(
    '/v1/enrol',
    {
      config: { audience: 'none', ...perAddressPerMinute(ctx.enrolAttemptsPerMinute) },
      schema: { summary: 'Enrol a workstation with a single-use code', body: api.enrolRequest, response: { 201: api.enrolResponse, ...problems(400, 401, 409, 410, 429) } },
    },
    async (request, reply) => {
      const r = await enrolWorkstation(db, request.body.enrolmentCode, request.body.workstationName, ctx.now());
      if (!r.ok) return sendProblem(reply, r.error);
      request.log.info({ deviceId: r.value.deviceId, centreId: r.value.centreId }, 'workstation enrolled');
      return reply.code(201).send(r.value);
    },
  );

  app.get(
    '/v1/election',
    { config: device, schema: { summary: "The workstation's election and centre", response: { 200: api.electionResponse, ...problems(401, 403) } } },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      const { rows } = await db.query<{ name: string; closes_at: Date }>(`select name, closes_at from elections where election_number = $1`, [ws.electionNumber]);
      return reply.send({ electionNumber: ws.electionNumber, name: rows[0]!.name, closesAt: rows[0]!.closes_at.toISOString(), centreId: ws.centreId, centreName: ws.centreName });
    },
  );

  app.get(
    '/v1/register',
    {
      config: device,
      schema: { summary: 'The register copy (no online codes), by cursor', querystring: api.feedQuery, response: { 200: api.registerResponse, ...problems(400, 401, 403) } },
    },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      const { after, limit } = feedPage(request.query, DEFAULT_FEED_LIMIT);
      const { rows } = await db.query<RegisterEventRow>(
        `select event_id, ballot_number, issue, status, member_ref, online_voted, online_voted_at from register_events
          where election_number = $1 and event_id > $2 order by event_id limit $3`,
        [ws.electionNumber, after, limit],
      );
      return reply.send({ entries: rows.map(registerEntryOf), next: nextCursor(rows, after) });
    },
  );

  app.post(
    '/v1/receipts',
    {
      config: device,
      schema: { summary: 'Send 1–500 receipts; one result per receipt, same order', body: api.receiptsRequest, response: { 200: api.receiptsResponse, ...problems(400, 401, 403) } },
    },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      // The close is read inside the batch's transaction (receive-receipts.ts), not here: a batch
      // may wait at the gate while the returning officer moves it.
      const results = await batches.run(() => receiveReceipts(db, ws, request.body.receipts, ctx.now));
      for (const r of results) ctx.metrics.receipts.inc({ outcome: r.outcome, kind: r.flag?.kind ?? r.error ?? 'none' });
      return reply.send({ results });
    },
  );

  app.get(
    '/v1/changes',
    {
      config: device,
      schema: { summary: "This centre's flags, resolutions and register changes, by cursor", querystring: api.feedQuery, response: { 200: api.changesResponse, ...problems(400, 401, 403) } },
    },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      const { after, limit } = feedPage(request.query, DEFAULT_FEED_LIMIT);
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
      // The payloads were written from the same schemas (ledger/events.ts); sent as stored.
      const events = rows.map((r) => ({ ...r.payload, eventId: String(r.event_id) })) as unknown as api.ChangeEvent[];
      return reply.send({ events, next: nextCursor(rows, after) });
    },
  );

  app.post(
    '/v1/flags/:flagId/resolution',
    {
      config: device,
      schema: {
        summary: "A supervisor's decision on a flag (idempotent on resolutionId)",
        params: z.object({ flagId: z.string() }),
        body: api.resolutionRequest,
        response: { 200: api.resolutionOut, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      // A flag id that is not a UUID names no flag.
      if (!api.resolutionOut.shape.flagId.safeParse(request.params.flagId).success) return sendProblem(reply, refuse(404, 'no such flag at this centre', 'not_found'));
      const r = await resolveFlag(db, ws, request.params.flagId.toLowerCase(), request.body, ctx.now);
      if (!r.ok) return sendProblem(reply, r.error);
      return reply.send(r.value);
    },
  );

  app.post(
    '/v1/audit-heads',
    {
      config: device,
      schema: {
        summary: "Witness the head of a workstation's audit chain (refused when behind or contradicting one witnessed)",
        body: api.auditHeadRequest,
        response: { 200: api.auditHeadResponse, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      const r = await witnessAuditHead(db, ws, request.body, ctx.now());
      if (!r.ok) {
        ctx.metrics.auditAlerts.inc();
        request.log.warn({ deviceId: ws.deviceId, centreId: ws.centreId, sent: request.body.seq, witnessed: r.error.witnessed.seq }, 'audit history rewritten');
        const w = r.error.witnessed;
        return sendProblem(
          reply,
          refuse(409, `this workstation's audit history was removed or rewritten after the server witnessed seq ${w.seq} at ${w.witnessedAt.toISOString()}: ${r.error.reason}`, api.AUDIT_HISTORY_REWRITTEN),
        );
      }
      return reply.send({ witnessedAt: r.value.witnessedAt.toISOString() });
    },
  );

  app.get(
    '/v1/audit-heads/latest',
    { config: device, schema: { summary: 'The last audit-chain head witnessed for the calling workstation', response: { 200: api.latestAuditHeadResponse, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      const ws = principalOf(request, 'device');
      const head = await latestAuditHead(db, ws.deviceId);
      if (!head) return sendProblem(reply, refuse(404, 'no audit head of this workstation has been witnessed yet', 'not_found'));
      return reply.send(head);
    },
  );
};
