// The election as the central server holds it now. The returning officer may move the closing
// time or rename the election after this workstation enrolled (PATCH /v1/admin/elections/{n});
// each sync cycle reads GET /v1/election and, when the name or the close differs from the
// workstation's, updates the workstation row and audits the change in one transaction. The
// desk judges `late_return` from that row, so the new close holds from the next scan on;
// receipts already recorded keep the verdict they were given.
import type { z } from 'zod';
import type * as api from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import type { SyncDeps } from './deps';

type ServerElection = z.output<typeof api.electionResponse>;

interface ElectionTerms {
  name: string | null;
  closesAt: string | null;
}

/** The server's answer is about another election than the one this workstation serves. */
export interface ElectionMismatch {
  kind: 'invalid_response';
  message: string;
}

const sameInstant = (a: string | null, b: string): boolean => a !== null && new Date(a).getTime() === new Date(b).getTime();

/** Takes the server's name and close for this workstation's election; ok(true) when either changed. */
export function adoptServerElection(core: SyncDeps, election: ServerElection, now: Date): Result<boolean, ElectionMismatch> {
  const ws = core.workstation.info();
  if (ws.electionNumber !== election.electionNumber)
    return err({ kind: 'invalid_response', message: `the server names election ${election.electionNumber}, but this workstation serves election ${ws.electionNumber ?? 'none'}` });
  const before: ElectionTerms = { name: ws.electionName, closesAt: ws.closesAt };
  const after: ElectionTerms = { name: election.name, closesAt: new Date(election.closesAt).toISOString() };
  if (before.name === after.name && sameInstant(before.closesAt, after.closesAt!)) return ok(false);
  core.db
    .transaction(() => {
      core.workstation.update({ election_name: after.name!, closes_at: after.closesAt! });
      core.audit.append('election.updated', null, { electionNumber: election.electionNumber, before, after }, now);
    })
    .immediate();
  core.log.info('election updated by the central server', { electionNumber: election.electionNumber, before, after });
  return ok(true);
}
