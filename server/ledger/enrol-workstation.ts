// POST /v1/enrol: an enrolment code becomes a device and its token. The code is spent by a
// conditional UPDATE (used_at is null and not expired), so two workstations racing with one
// code cannot both enrol, whichever processes they reach.
import { randomUUID } from 'node:crypto';
import { err, ok, type Result } from '../../shared/result';
import type { Db } from '../db/db';
import { refuse, type Refusal } from '../http/problem';
import { hashEnrolmentCode, hashToken, newToken } from '../security/tokens';

export interface Enrolment {
  deviceId: string;
  centreId: string;
  centreName: string;
  electionNumber: number;
  token: string;
}

export async function enrolWorkstation(
  db: Db,
  enrolmentCode: string,
  workstationName: string,
  now: Date,
): Promise<Result<Enrolment, Refusal>> {
  const codeHash = hashEnrolmentCode(enrolmentCode);
  const deviceId = randomUUID();
  const token = newToken('device');
  const at = now.toISOString();
  return db.transaction(async (tx) => {
    const spent = await tx.query<{ centre_id: string }>(
      `update enrolment_codes set used_at = $2, device_id = $3
        where code_hash = $1 and used_at is null and expires_at > $2 returning centre_id`,
      [codeHash, at, deviceId],
    );
    if (spent.rowCount === 0) {
      const { rows } = await tx.query<{ used_at: Date | null }>(`select used_at from enrolment_codes where code_hash = $1`, [codeHash]);
      if (!rows[0]) return err(refuse(401, 'this enrolment code is not known', 'unknown_enrolment_code'));
      if (rows[0].used_at) return err(refuse(409, 'this enrolment code was already used', 'enrolment_code_used'));
      return err(refuse(410, 'this enrolment code has expired; ask for a new one', 'enrolment_code_expired'));
    }
    const centreId = spent.rows[0]!.centre_id;
    await tx.query(`insert into devices (device_id, centre_id, name, enrolled_at) values ($1, $2, $3, $4)`, [deviceId, centreId, workstationName, at]);
    await tx.query(`insert into access_tokens (token_hash, kind, device_id, created_at) values ($1, 'device', $2, $3)`, [
      hashToken(token),
      deviceId,
      at,
    ]);
    const { rows } = await tx.query<{ name: string; election_number: number }>(`select name, election_number from centres where centre_id = $1`, [centreId]);
    return ok({ deviceId, centreId, centreName: rows[0]!.name, electionNumber: rows[0]!.election_number, token });
  });
}
