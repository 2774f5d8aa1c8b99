// The admin token: from env BALLOT_ADMIN_TOKEN or --admin-token-file; with neither, the server
// makes one at first start, keeps only its hash and prints it once (contracts.md §3).
import { readFileSync } from 'node:fs';
import type { Db } from '../db/db';
import { hashToken, newToken } from './tokens';

export interface AdminTokenSource {
  env?: string | undefined;
  file?: string | undefined;
}

/** Returns the new token when one was made (to print once), else null. */
export async function setUpAdminToken(db: Db, source: AdminTokenSource, now: Date): Promise<string | null> {
  const given = source.env?.trim() || (source.file ? readFileSync(source.file, 'utf8').trim() : '');
  if (given) {
    if (given.length < 16) throw new Error('the admin token must be at least 16 characters');
    const hash = hashToken(given);
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into access_tokens (token_hash, kind, created_at) values ($1, 'admin', $2)
         on conflict (token_hash) do update set revoked_at = null where access_tokens.kind = 'admin'`,
        [hash, now.toISOString()],
      );
      // The configured token is the only admin token: an earlier one stops working.
      await tx.query(`update access_tokens set revoked_at = $2 where kind = 'admin' and token_hash <> $1 and revoked_at is null`, [
        hash,
        now.toISOString(),
      ]);
    });
    return null;
  }
  const { rows } = await db.query(`select 1 from access_tokens where kind = 'admin' and revoked_at is null limit 1`);
  if (rows.length > 0) return null;
  const token = newToken('admin');
  await db.query(`insert into access_tokens (token_hash, kind, created_at) values ($1, 'admin', $2)`, [hashToken(token), now.toISOString()]);
  return token;
}
