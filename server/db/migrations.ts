// The server's schema as numbered migrations, the same SQL on the embedded PostgreSQL and an external one. Applied
// versions are recorded in schema_migrations; a database from a newer server is refused.
// One file each in ./migrations/, like the desk's. Never edit a released migration: add the next one.
import type { Db, ServerMigration } from './db';
import { migration001 } from './migrations/001-ledger';
import { migration002 } from './migrations/002-online-voted-at';
import { migration003 } from './migrations/003-centre-indexes';
import { migration004 } from './migrations/004-admin-events';
import { migration005 } from './migrations/005-guarantees';

export type { ServerMigration } from './db';

export const MIGRATIONS: readonly ServerMigration[] = [migration001, migration002, migration003, migration004, migration005];

export async function migrate(db: Db): Promise<void> {
  await db.query(`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  // Two processes starting together on one PostgreSQL: one migrates, the other waits.
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock(4022001)');
    const { rows } = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...MIGRATIONS.map((m) => m.version));
    const tooNew = [...applied].filter((v) => v > newest);
    if (tooNew.length > 0)
      throw new Error(`database schema version ${Math.max(...tooNew)} is newer than this server (${newest}); upgrade the server`);
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
    }
  });
}
