// The server secret keys the online-code HMAC. Kept apart from the database where possible,
// so that a copy of the database alone cannot be used to guess codes:
//   1. env BALLOT_SERVER_SECRET (hex or any string of ≥ 32 characters) — use this in production,
//      the same value on every process sharing one PostgreSQL;
//   2. else the file DATA_DIR/server-secret (embedded mode), made at first start, mode 0600, next
//      to the embedded PostgreSQL's folder (DATA_DIR/postgres), never inside it;
//   3. else (PostgreSQL without the env var) a row in server_settings, made at first start.
// Changing it makes every stored online code unrecognisable: keep it with the backups.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db/db';

export interface SecretSource {
  env?: string | undefined;
  dataDir?: string | undefined;
}

export async function loadServerSecret(db: Db, source: SecretSource): Promise<{ secret: Buffer; from: string }> {
  if (source.env && source.env.length > 0) {
    if (source.env.length < 32) throw new Error('BALLOT_SERVER_SECRET must be at least 32 characters');
    return { secret: Buffer.from(source.env, 'utf8'), from: 'BALLOT_SERVER_SECRET' };
  }
  if (source.dataDir) {
    const file = join(source.dataDir, 'server-secret');
    if (!existsSync(file)) writeSecretFile(file);
    return { secret: Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'), from: file };
  }
  await db.query(`insert into server_settings (name, value) values ('server_secret', $1) on conflict (name) do nothing`, [
    randomBytes(32).toString('hex'),
  ]);
  const { rows } = await db.query<{ value: string }>(`select value from server_settings where name = 'server_secret'`);
  return { secret: Buffer.from(rows[0]!.value, 'utf8'), from: 'database (set BALLOT_SERVER_SECRET in production)' };
}

/**
 * Makes the secret file durably before anything is hashed with it (a power cut must not keep
 * the online codes and lose their key): written and synced under a private name, then linked
 * into place (never over an existing secret), and the folder synced.
 */
function writeSecretFile(file: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  try {
    sync(tmp);
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  sync(dirname(file));
}

function sync(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
