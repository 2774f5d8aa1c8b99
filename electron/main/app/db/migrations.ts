// Numbered migrations (never schema resets): the version lives in PRAGMA user_version, all
// pending migrations run in one transaction, and a database from a newer app is refused
// rather than guessed at. Each migration is a file of its own in ./migrations/.
import { err, ok, type Result } from '../../../../shared/result';
import type { Db, Migration } from './db';
import { migration001 } from './migrations/001-ledger';
import { migration002 } from './migrations/002-time-indexes';
import { migration003 } from './migrations/003-online-voted-at';
import { migration004 } from './migrations/004-decision-refusals';
import { migration005 } from './migrations/005-server-word';
import { migration006 } from './migrations/006-manual-confirmer';
import { migration007 } from './migrations/007-server-key';
import { migration008 } from './migrations/008-tray-places';

export type { Migration } from './db';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];

export type MigrationError = { code: 'newer_database' | 'database'; message: string };

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function runMigrations(db: Db, migrations: readonly Migration[] = MIGRATIONS): Result<number, MigrationError> {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) {
    return err({
      code: 'newer_database',
      message: `This database was written by a newer version of Ballot Intake (schema ${current}, this app knows ${latest}). Install the newer version; nothing was changed.`,
    });
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return ok(current);
  try {
    db.transaction(() => {
      for (const m of pending) {
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      }
    }).immediate();
  } catch (e) {
    return err({ code: 'database', message: `Upgrading the database failed and was rolled back: ${(e as Error).message}` });
  }
  return ok(latest);
}
