// The whole centre's figures from the central server (GET /v1/centre/summary), asked for when
// a supervisor exports the end-of-day statement. Not part of the sync cycle: asked on its own,
// with a short timeout (someone is waiting for the file), and every failure becomes words the
// statement prints instead of the centre's figures.
import * as api from '../../../../shared/protocol/central-api';
import { err, type Result } from '../../../../shared/result';
import type { SyncDeps } from './deps';
import { bareReason, CentralClient, type CentralFailure } from './central-client';

export type CentreSummaryUnavailable =
  /** not enrolled with a central server: there is no centre to ask about */
  | { kind: 'not_enrolled'; message: string }
  /** enrolled, but no usable answer came; `at` is when it was asked */
  | { kind: 'unreachable'; at: string; message: string };

export const NOT_ENROLLED = 'not enrolled: working offline';
export const CENTRE_SUMMARY_TIMEOUT_MS = 5_000;

export async function askCentreSummary(
  core: SyncDeps,
  token: () => Promise<string | null>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<Result<api.CentreSummary, CentreSummaryUnavailable>> {
  const ws = core.workstation.info();
  if (!ws.enrolled || !ws.serverUrl) return err({ kind: 'not_enrolled', message: NOT_ENROLLED });
  const at = core.now().toISOString();
  const secret = await token();
  if (!secret) return err({ kind: 'unreachable', at, message: 'the device token is missing from this computer (enrol the workstation again)' });
  const client = new CentralClient({ baseUrl: ws.serverUrl, serverKey: ws.serverKey, token: secret, timeoutMs: options.timeoutMs, clock: core.now, ...(options.signal ? { signal: options.signal } : {}) });
  const r = await client.request('centreSummary', 'GET', '/v1/centre/summary', api.centreSummaryResponse);
  if (r.ok) return r;
  return err({ kind: 'unreachable', at, message: reasonOf(r.error) });
}

function reasonOf(e: CentralFailure): string {
  switch (e.kind) {
    case 'unauthorized':
      return `the server no longer accepts this workstation (${e.message})`;
    case 'final':
      return `the server refused the request (HTTP ${e.status}: ${e.message})`;
    case 'transport':
      // A server from before GET /v1/centre/summary answers its own 404 for it.
      if (e.cause === 'server_trouble' && e.status === 404) return 'the server does not offer the centre figures (an older server version)';
      // the statement says "could not be reached at <time>: " itself
      return bareReason(e);
  }
}
