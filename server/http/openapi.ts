// GET /v1/openapi.json: the OpenAPI 3 document, generated from the same zod schemas the
// server validates requests with (shared/protocol), so the document cannot drift.
import { z } from 'zod';
import * as api from '../../shared/protocol/central-api';
import { adminEventsQuery, adminEventsResponse } from './admin-events-api';

export type Auth = 'device' | 'integration' | 'admin' | 'none';
interface Operation {
  method: 'get' | 'post' | 'patch';
  path: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  bodyType?: 'text/csv';
  query?: z.ZodObject;
  responses: Record<number, z.ZodType | string>;
}

const problem = 'problem';
/** Every route of the API with its audience; the authorisation test walks it and checks it against the routes registered. */
export const OPERATIONS: Operation[] = [
  { method: 'post', path: '/v1/enrol', summary: 'Enrol a workstation with a single-use code', auth: 'none', body: api.enrolRequest, responses: { 201: api.enrolResponse, 400: problem, 401: problem, 409: problem, 410: problem, 429: problem } },
  { method: 'get', path: '/v1/election', summary: "The workstation's election and centre", auth: 'device', responses: { 200: api.electionResponse, 401: problem } },
  { method: 'get', path: '/v1/register', summary: 'The register copy (no online codes), by cursor', auth: 'device', query: api.feedQuery, responses: { 200: api.registerResponse, 400: problem, 401: problem } },
  { method: 'post', path: '/v1/receipts', summary: 'Send 1–500 receipts; one result per receipt, same order', auth: 'device', body: api.receiptsRequest, responses: { 200: api.receiptsResponse, 400: problem, 401: problem, 403: problem } },
  { method: 'get', path: '/v1/changes', summary: "This centre's flags, resolutions and register changes, by cursor", auth: 'device', query: api.feedQuery, responses: { 200: api.changesResponse, 400: problem, 401: problem } },
  { method: 'post', path: '/v1/flags/{flagId}/resolution', summary: "A supervisor's decision on a flag (idempotent on resolutionId)", auth: 'device', body: api.resolutionRequest, responses: { 200: api.resolutionOut, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } },
  { method: 'get', path: '/v1/centre/summary', summary: "The caller's centre as the server holds it: totals, flags and decisions by kind, each workstation", auth: 'device', responses: { 200: api.centreSummaryResponse, 400: problem, 401: problem, 403: problem } },
  { method: 'post', path: '/v1/online-codes/redeem', summary: "Use a member's online voting code", auth: 'integration', body: api.redeemRequest, responses: { 200: api.redeemResponse, 404: problem, 409: problem, 401: problem, 403: problem } },
  { method: 'post', path: '/v1/audit-heads', summary: "Witness the head of a workstation's audit chain (refused when behind or contradicting one witnessed)", auth: 'device', body: api.auditHeadRequest, responses: { 200: api.auditHeadResponse, 400: problem, 401: problem, 409: problem } },
  { method: 'get', path: '/v1/audit-heads/latest', summary: 'The last audit-chain head witnessed for the calling workstation', auth: 'device', responses: { 200: api.latestAuditHeadResponse, 401: problem, 404: problem } },
  { method: 'post', path: '/v1/admin/elections', summary: 'Create an election', auth: 'admin', body: api.createElectionRequest, responses: { 201: api.electionOut, 400: problem, 409: problem } },
  { method: 'patch', path: '/v1/admin/elections/{electionNumber}', summary: "Move an election's closing time or rename it (workstations learn it at their next sync)", auth: 'admin', body: api.updateElectionRequest, responses: { 200: api.electionOut, 400: problem, 401: problem, 403: problem, 404: problem } },
  { method: 'post', path: '/v1/admin/centres', summary: 'Create a counting centre', auth: 'admin', body: api.createCentreRequest, responses: { 201: api.centreOut, 400: problem, 404: problem, 409: problem } },
  { method: 'post', path: '/v1/admin/elections/{electionNumber}/register', summary: 'Import the register CSV (streamed; all or nothing)', auth: 'admin', bodyType: 'text/csv', responses: { 200: api.registerImportResponse, 400: problem, 404: problem } },
  { method: 'post', path: '/v1/admin/centres/{centreId}/enrolment-codes', summary: 'Make an enrolment code for a centre', auth: 'admin', responses: { 201: api.enrolmentCodeResponse, 404: problem } },
  { method: 'post', path: '/v1/admin/integration-tokens', summary: 'Make a token for the online-voting platform', auth: 'admin', responses: { 201: api.tokenResponse } },
  { method: 'post', path: '/v1/admin/integration-tokens/{tokenId}/revoke', summary: "Revoke the online-voting platform's token at once", auth: 'admin', responses: { 200: api.integrationTokenRevokeResponse, 401: problem, 403: problem, 404: problem } },
  { method: 'get', path: '/v1/admin/devices/{deviceId}/sequence-gaps', summary: "Gaps in a workstation's workstationSeq (lost receipts)", auth: 'admin', responses: { 200: api.sequenceGapsResponse, 404: problem } },
  { method: 'get', path: '/v1/admin/audit-alerts', summary: 'Workstations whose audit history was cut or rewritten after the server witnessed it', auth: 'admin', responses: { 200: api.auditAlertsResponse, 401: problem, 403: problem } },
  { method: 'post', path: '/v1/admin/devices/{deviceId}/revoke', summary: "Revoke a workstation's token at once", auth: 'admin', responses: { 200: api.revokeResponse, 404: problem } },
  { method: 'get', path: '/v1/admin/events', summary: "The administrators' record (append-only), oldest first, by cursor", auth: 'admin', query: adminEventsQuery, responses: { 200: adminEventsResponse, 400: problem, 401: problem, 403: problem } },
  { method: 'get', path: '/healthz', summary: 'Healthy when the database answers', auth: 'none', responses: { 200: 'ok', 503: problem } },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', auth: 'none', responses: { 200: 'text' } },
  { method: 'get', path: '/v1/openapi.json', summary: 'This document', auth: 'none', responses: { 200: z.object({ openapi: z.string() }).loose() } },
];

const schemaOf = (s: z.ZodType, io: 'input' | 'output'): unknown => z.toJSONSchema(s, { target: 'openapi-3.0', io, unrepresentable: 'any' });

export function buildOpenApiDocument(): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      if (r === problem) responses[status] = { description: 'problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
      else if (typeof r === 'string') responses[status] = { description: r, content: { 'text/plain': { schema: { type: 'string' } } } };
      else responses[status] = { description: 'success', content: { 'application/json': { schema: schemaOf(r, 'output') } } };
    }
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...(op.query ? Object.entries(op.query.shape).map(([name, s]) => ({ name, in: 'query', required: false, schema: schemaOf(s as z.ZodType, 'input') })) : []),
    ];
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.auth === 'none' ? { security: [] } : { security: [{ [op.auth]: [] }] }),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
      ...(op.bodyType ? { requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string', description: 'ballot_number,issue,status,member_ref,online_code' } } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Ballot Intake central server', version: '1.0.0', description: 'contracts.md §3' },
    paths,
    components: {
      securitySchemes: {
        device: { type: 'http', scheme: 'bearer', description: 'device token from POST /v1/enrol' },
        integration: { type: 'http', scheme: 'bearer', description: 'online-voting platform token' },
        admin: { type: 'http', scheme: 'bearer', description: 'admin token' },
      },
      schemas: { Problem: schemaOf(api.problem, 'output') },
    },
  };
}
