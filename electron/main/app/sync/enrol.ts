// Enrolment: server address + enrolment code → device token (kept by the secret store, never
// logged, never sent to the renderer), then the election's name and close from
// GET /v1/election, all written to the workstation table with one audit entry.
import type { ApiError, WorkstationInfo } from '../../../../shared/api/types';
import * as api from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import type { SyncDeps } from './deps';
import { CentralClient, normaliseServerUrl, type CentralFailure } from './central-client';
import { DEVICE_TOKEN_SECRET } from './engine';

export interface EnrolInput {
  serverUrl: string;
  enrolmentCode: string;
  workstationName: string;
}

const ENROL_ERRORS: Record<string, string> = {
  unknown_enrolment_code: 'This enrolment code is not known to the server: check it and type it again.',
  enrolment_code_used: 'This enrolment code was already used: ask the election office for a new one.',
  enrolment_code_expired: 'This enrolment code has expired: ask the election office for a new one.',
  rate_limited: 'Too many enrolment attempts from this computer: wait a minute and try again.',
};

function words(e: CentralFailure, serverUrl: string): ApiError {
  switch (e.kind) {
    case 'transport':
      if (e.cause === 'unreadable') return { code: 'failed', message: `${serverUrl} does not answer like a Ballot Intake server (${e.message}).` };
      return { code: 'unavailable', message: `The server at ${serverUrl} cannot be used now: ${e.message}. Try again in a moment.` };
    case 'unauthorized':
      return { code: 'forbidden', message: ENROL_ERRORS.unknown_enrolment_code! };
    case 'final':
      return {
        code: e.status === 409 || e.status === 410 ? 'conflict' : e.status === 401 ? 'forbidden' : e.status === 429 ? 'unavailable' : 'invalid_input',
        message: ENROL_ERRORS[e.error] ?? `The server refused the enrolment: ${e.message}`,
      };
  }
}

export async function enrolWorkstation(
  core: SyncDeps,
  input: EnrolInput,
  actor: string | null,
  now: Date,
  options: { timeoutMs?: number } = {},
): Promise<Result<WorkstationInfo, ApiError>> {
  const url = normaliseServerUrl(input.serverUrl);
  if (!url.ok) return err({ code: 'invalid_input', message: url.error });
  const serverUrl = url.value;

  // Ask the secret store first: a code spent on a token that cannot be kept is a code lost.
  const probe = await core.secretStore.set('enrolmentProbe', 'ok');
  if (!probe.ok) {
    return err({ code: 'unavailable', message: `This workstation cannot be enrolled: ${probe.error} (the token would be kept in ${core.secretStore.description}).` });
  }

  // Over https the server's key is learnt here and pinned from now on (pinned-tls.ts); the
  // supervisor compares it with the one `server:admin enrolment-code` printed.
  let serverKey: string | null = null;
  const anonymous = new CentralClient({ baseUrl: serverUrl, timeoutMs: options.timeoutMs ?? 20_000, clock: core.now, onServerKey: (k) => (serverKey ??= k) });
  const enrolled = await anonymous.request('enrol', 'POST', '/v1/enrol', api.enrolResponse, {
    enrolmentCode: input.enrolmentCode.trim(),
    workstationName: input.workstationName,
  });
  await anonymous.close();
  if (!enrolled.ok) return err(words(enrolled.error, serverUrl));
  const e = enrolled.value;

  const stored = await core.secretStore.set(DEVICE_TOKEN_SECRET, e.token);
  if (!stored.ok) {
    return err({ code: 'failed', message: `The server enrolled this workstation but its token could not be kept safely: ${stored.error} Ask for a new enrolment code once this is fixed.` });
  }

  const client = new CentralClient({ baseUrl: serverUrl, serverKey, token: e.token, timeoutMs: options.timeoutMs ?? 20_000, clock: core.now });
  const election = await client.request('election', 'GET', '/v1/election', api.electionResponse);
  if (!election.ok) return err(words(election.error, serverUrl));

  const before = core.workstation.info();
  core.db.transaction(() => {
    core.workstation.update({
      workstation_name: input.workstationName,
      election_number: e.electionNumber,
      election_name: election.value.name,
      closes_at: new Date(election.value.closesAt).toISOString(),
      centre_id: e.centreId,
      centre_name: e.centreName,
      server_url: serverUrl,
      server_key: serverKey,
      device_id: e.deviceId,
      enrolled_at: now.toISOString(),
    });
    // Another election's register, or another centre's feed, starts again from the beginning.
    if (before.electionNumber !== e.electionNumber) core.db.prepare('UPDATE register_state SET server_cursor = NULL, changes_cursor = NULL WHERE id = 1').run();
    else if (before.centreId !== e.centreId) core.db.prepare('UPDATE register_state SET changes_cursor = NULL WHERE id = 1').run();
    core.audit.append(
      'workstation.configured',
      actor,
      { mode: 'enrolled', serverUrl, serverKey, deviceId: e.deviceId, centreId: e.centreId, centreName: e.centreName, electionNumber: e.electionNumber, workstationName: input.workstationName },
      now,
    );
  }).immediate();
  core.log.info('workstation enrolled', { serverUrl, deviceId: e.deviceId, centreId: e.centreId, electionNumber: e.electionNumber });
  return ok(core.workstation.info());
}
