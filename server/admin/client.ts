// A small client of the admin API (used by the admin CLI and the demo). Answers are parsed
// with the shared schemas; refusals come back as problem details, not exceptions.
import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import * as api from '../../shared/protocol/central-api';
import { err, ok, type Result } from '../../shared/result';
import { adminEventsResponse } from '../http/admin-events-api';

export type AdminResult<T> = Result<T, api.Problem>;

export class AdminClient {
  constructor(
    readonly server: string,
    private readonly token: string,
  ) {}

  private async send<S extends z.ZodType>(path: string, body: unknown, schema: S, method: 'POST' | 'PATCH' = 'POST'): Promise<AdminResult<z.output<S>>> {
    const res = await fetch(new URL(path, this.server), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return answer(res.status, await res.text(), schema);
  }

  createElection(electionNumber: number, name: string, closesAt: string) {
    return this.send('/v1/admin/elections', { electionNumber, name, closesAt }, api.electionOut);
  }
  /** Moves the closing time and/or renames; only the fields given change. */
  updateElection(electionNumber: number, changes: api.UpdateElectionRequest) {
    return this.send(`/v1/admin/elections/${electionNumber}`, changes, api.electionOut, 'PATCH');
  }
  createCentre(centreId: string, name: string, electionNumber: number) {
    return this.send('/v1/admin/centres', { centreId, name, electionNumber }, api.centreOut);
  }
  enrolmentCode(centreId: string, validMinutes?: number) {
    return this.send(`/v1/admin/centres/${encodeURIComponent(centreId)}/enrolment-codes`, validMinutes ? { validMinutes } : undefined, api.enrolmentCodeResponse);
  }
  integrationToken() {
    return this.send('/v1/admin/integration-tokens', undefined, api.tokenResponse);
  }
  async sequenceGaps(deviceId: string): Promise<AdminResult<z.output<typeof api.sequenceGapsResponse>>> {
    const res = await fetch(new URL(`/v1/admin/devices/${encodeURIComponent(deviceId)}/sequence-gaps`, this.server), {
      headers: { authorization: `Bearer ${this.token}` },
    });
    return answer(res.status, await res.text(), api.sequenceGapsResponse);
  }
  /** One page of the administrators' record after `after` (a cursor from an earlier page). */
  revokeIntegrationToken(tokenId: string) {
    return this.send(`/v1/admin/integration-tokens/${encodeURIComponent(tokenId)}/revoke`, {}, api.integrationTokenRevokeResponse);
  }
  async auditAlerts(): Promise<AdminResult<z.output<typeof api.auditAlertsResponse>>> {
    const res = await fetch(new URL('/v1/admin/audit-alerts', this.server), { headers: { authorization: `Bearer ${this.token}` } });
    return answer(res.status, await res.text(), api.auditAlertsResponse);
  }

  async adminEvents(after?: string, limit?: number): Promise<AdminResult<z.output<typeof adminEventsResponse>>> {
    const url = new URL('/v1/admin/events', this.server);
    if (after !== undefined) url.searchParams.set('after', after);
    if (limit !== undefined) url.searchParams.set('limit', String(limit));
    const res = await fetch(url, { headers: { authorization: `Bearer ${this.token}` } });
    return answer(res.status, await res.text(), adminEventsResponse);
  }
  revokeDevice(deviceId: string) {
    return this.send(`/v1/admin/devices/${encodeURIComponent(deviceId)}/revoke`, undefined, api.revokeResponse);
  }

  /** Streams the file (never read whole); `onProgress` gets bytes sent so far and the total. */
  importRegister(
    electionNumber: number,
    file: string,
    onProgress: (sent: number, total: number) => void = () => undefined,
  ): Promise<AdminResult<z.output<typeof api.registerImportResponse>>> {
    const total = statSync(file).size;
    const url = new URL(`/v1/admin/elections/${electionNumber}/register`, this.server);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'text/csv', 'content-length': total } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve(answer(res.statusCode ?? 0, text, api.registerImportResponse)));
        },
      );
      req.on('error', reject);
      let sent = 0;
      const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
      stream.on('data', (chunk) => {
        sent += chunk.length;
        onProgress(sent, total);
      });
      stream.on('error', reject);
      stream.pipe(req);
    });
  }
}

function answer<S extends z.ZodType>(status: number, text: string, schema: S): AdminResult<z.output<S>> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return ok(parsed.data);
    return err({ type: 'about:blank', title: 'Unexpected answer', status, detail: `the server's answer did not match the API: ${text.slice(0, 200)}` });
  }
  const p = api.problem.safeParse(body);
  return err(p.success ? p.data : { type: 'about:blank', title: 'Error', status, detail: text.slice(0, 500) || `HTTP ${status}` });
}
