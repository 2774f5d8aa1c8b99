// The schema's migrations: applied once, recorded, safe to run again, and a database from a
// newer server is refused rather than misread.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../server/db/migrations';
import { dropTestSchemas, ENGINES } from './harness';

afterAll(dropTestSchemas);

// A database already migrated never runs a released migration again, so an edit to one would
// reach new databases only: released migrations are frozen. Add the next one instead (and its
// line here).
const RELEASED: Record<number, string> = {
  1: '38a3fd8c5ffd1330',
  2: '7c72cda8c2489f67',
  3: 'ea63d9cb12f98d36',
  4: 'eb0c2825b45d2570',
  5: 'feba95242d026f56',
};

it('no released migration was edited', () => {
  for (const m of MIGRATIONS) {
    expect(RELEASED[m.version], `migration ${m.version} has no line in RELEASED`).toBeDefined();
    expect(createHash('sha256').update(m.sql).digest('hex').slice(0, 16), `migration ${m.version} was edited`).toBe(RELEASED[m.version]);
  }
});

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

  it('2 upgrades a version-1 database in place: register events stay and learn when their member voted online', async () => {
    const db = await engine.open();
    try {
      // a version-1 server's database, with one member who voted online and one who did not
      await db.exec(`create table schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
      await db.exec(MIGRATIONS[0]!.sql);
      await db.query(`insert into schema_migrations (version, name) values (1, 'v1')`);
      await db.query(`insert into members (election_number, member_ref, code_state, redeemed_at) values
        (1022, 'M-1', 'redeemed', '2026-11-20T10:11:12.345Z'), (1022, 'M-2', 'active', null)`);
      await db.query(`insert into register_events (event_id, election_number, ballot_number, issue, status, member_ref, online_voted) values
        (1, 1022, 1, 1, 'issued', 'M-1', false), (2, 1022, 2, 1, 'issued', 'M-2', false), (3, 1022, 1, 1, 'issued', 'M-1', true)`);
      await migrate(db);
      const { rows } = await db.query<{ event_id: number; online_voted_at: Date | null }>(
        'select event_id::int, online_voted_at from register_events order by event_id',
      );
      // only the event that says "voted online" gets the time; the earlier state of that pack stays as it was
      expect(rows.map((r) => [r.event_id, r.online_voted_at?.toISOString() ?? null])).toEqual([
        [1, null],
        [2, null],
        [3, '2026-11-20T10:11:12.345Z'],
      ]);
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
