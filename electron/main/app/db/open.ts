// Opens the workstation database the way receipts need it: WAL for concurrent readers,
// synchronous=FULL so an acknowledged scan survives power loss, foreign keys on every
// connection, and a busy timeout so a worker's short write does not fail a scan.
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../../../../shared/result';
import type { Db } from './db';
import { MIGRATIONS, runMigrations, schemaVersion, type MigrationError } from './migrations';

export type { Db } from './db';

export interface OpenDbOptions {
  /** an Electron-ABI build of better-sqlite3 (the shell passes it; Node uses the default) */
  nativeBinding?: string;
  readonly?: boolean;
}

export function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function openDatabase(
  path: string,
  options: OpenDbOptions = {},
): Result<Db, MigrationError | { code: 'database'; message: string }> {
  let db: Db;
  try {
    db = new Database(path, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      readonly: options.readonly ?? false,
    });
    // A database from a newer app is refused before anything (even the journal mode) is
    // written to it, so the newer app finds it exactly as it left it.
    const newer = refuseNewer(db);
    if (newer) {
      db.close();
      return err(newer);
    }
    configureConnection(db);
  } catch (e) {
    return err({ code: 'database', message: `The database ${path} cannot be opened: ${(e as Error).message}` });
  }
  const migrated = runMigrations(db);
  if (!migrated.ok) {
    db.close();
    return migrated;
  }
  return ok(db);
}

function refuseNewer(db: Db): MigrationError | null {
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current <= latest) return null;
  return {
    code: 'newer_database',
    message: `This database was written by a newer version of Ballot Intake (schema ${current}, this app knows ${latest}). Install the newer version; nothing was changed.`,
  };
}

/** Runs `fn` in a write transaction (BEGIN IMMEDIATE): all of it commits, or none of it. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
