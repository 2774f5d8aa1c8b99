// The server secret keys the online-code HMAC. It is kept apart from the database, so that a
// copy of the database (a dump, a backup) alone cannot be used to search the code space:
//   1. env BALLOT_SERVER_SECRET (any string of ≥ 32 characters), or
//   2. --server-secret-file FILE (its first line; readable by its owner only), or
//   3. embedded engine only: DATA_DIR/server-secret, made at first start, mode 0600, next to
//      the embedded PostgreSQL's folder (DATA_DIR/postgres), never inside it.
// On an external PostgreSQL one of 1–2 is required: the server refuses to start without it.
// Earlier versions kept the key in server_settings when no secret was given; such a row is
// accepted only when the secret given equals it, and is then removed from the database.
// The database keeps a check value (an HMAC of a constant), so a different secret later —
// which would make every stored online code unrecognisable — is refused at start, in words.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db/db';

export interface SecretSource {
  env?: string | undefined;
  /** --server-secret-file */
  file?: string | undefined;
  /** the embedded engine's data directory; absent on an external PostgreSQL */
  dataDir?: string | undefined;
}

const MIN_LENGTH = 32;
const CHECK_INPUT = 'ballot-intake server secret check v1';

export async function loadServerSecret(db: Db, source: SecretSource): Promise<{ secret: Buffer; from: string }> {
  const { secret, from } = readSecret(source);
  await adoptLegacyRow(db, secret, from);
  await checkAgainstDatabase(db, secret, from);
  return { secret, from };
}

function readSecret(source: SecretSource): { secret: Buffer; from: string } {
  if (source.env && source.env.length > 0) {
    if (source.env.length < MIN_LENGTH) throw new Error(`BALLOT_SERVER_SECRET must be at least ${MIN_LENGTH} characters.`);
    return { secret: Buffer.from(source.env, 'utf8'), from: 'BALLOT_SERVER_SECRET' };
  }
  if (source.file) return { secret: readSecretFile(source.file, '--server-secret-file'), from: source.file };
  if (source.dataDir) {
    const file = join(source.dataDir, 'server-secret');
    if (!existsSync(file)) writeSecretFile(file);
    return { secret: readSecretFile(file, 'the data directory'), from: file };
  }
  throw new Error(
    'On an external PostgreSQL the online-code key must be kept outside the database: set BALLOT_SERVER_SECRET ' +
      `or pass --server-secret-file FILE (at least ${MIN_LENGTH} characters, readable by the server's user only). ` +
      'Kept inside the database, a copy of it would be enough to search every member\'s online code.',
  );
}

function readSecretFile(file: string, where: string): Buffer {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new Error(`The server secret file ${file} (${where}) cannot be read.`);
  }
  // Another user of the machine who can read the key can search the online codes of a dump.
  if ((mode & 0o077) !== 0) {
    throw new Error(`The server secret file ${file} can be read by other users of this machine (mode ${(mode & 0o777).toString(8)}). Run: chmod 600 ${file}`);
  }
  const value = readFileSync(file, 'utf8').split('\n')[0]!.trim();
  if (value.length < MIN_LENGTH) throw new Error(`The server secret in ${file} must be at least ${MIN_LENGTH} characters.`);
  return Buffer.from(value, 'utf8');
}

async function adoptLegacyRow(db: Db, secret: Buffer, from: string): Promise<void> {
  const { rows } = await db.query<{ value: string }>(`select value from server_settings where name = 'server_secret'`);
  if (rows.length === 0) return;
  if (!sameBytes(Buffer.from(rows[0]!.value, 'utf8'), secret)) {
    throw new Error(
      `This database keeps its online-code key in its own table (an earlier version made it), and the secret from ${from} is not that key. ` +
        "Put that key in a file (psql: select value from server_settings where name = 'server_secret'), chmod 600 it, " +
        'and start with --server-secret-file FILE: the server then removes the key from the database.',
    );
  }
  // The same key now lives outside: the copy in the database is what a dump must not hold.
  await db.query(`delete from server_settings where name = 'server_secret'`);
}

async function checkAgainstDatabase(db: Db, secret: Buffer, from: string): Promise<void> {
  const check = createHmac('sha256', secret).update(CHECK_INPUT).digest('hex');
  await db.query(`insert into server_settings (name, value) values ('server_secret_check', $1) on conflict (name) do nothing`, [check]);
  const { rows } = await db.query<{ value: string }>(`select value from server_settings where name = 'server_secret_check'`);
  if (!sameBytes(Buffer.from(rows[0]!.value, 'utf8'), Buffer.from(check, 'utf8'))) {
    throw new Error(
      `The server secret from ${from} is not the one this database's online codes were made with. ` +
        'Starting with it would make every member\'s online code unrecognisable: give the secret this database was started with.',
    );
  }
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
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
