// The schema's migrations: applied once, recorded, safe to run again, and a database from a
// newer server is refused rather than misread.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../server/db/migrations';
import { dropTestSchemas, ENGINES } from './harness';

afterAll(dropTestSchemas);

describe.each(ENGINES)('migrations on $name', (engine) => {
  it('applies every migration once, records it, and runs again without change', async () => {
    const db = await engine.open();
    try {
      await migrate(db);
      await migrate(db);
      const { rows } = await db.query<{ version: number }>('select version from schema_migrations order by version');
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      const tables = await db.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = current_schema() order by table_name`,
      );
      expect(tables.rows.map((t) => t.table_name)).toEqual(
        expect.arrayContaining(['receipts', 'flags', 'resolutions', 'members', 'ballots', 'register_events', 'change_events', 'access_tokens']),
      );
    } finally {
      await db.close();
    }
  });

  it('refuses a database written by a newer server', async () => {
    const db = await engine.open();
    try {
      await migrate(db);
      await db.query(`insert into schema_migrations (version, name) values (9999, 'from the future')`);
      await expect(migrate(db)).rejects.toThrow(/newer than this server/);
    } finally {
      await db.close();
    }
  });
});
