// Migrations: a fresh database reaches the latest version; a database from a newer app is
// refused and left exactly as it was.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/main/app/core';
import { MIGRATIONS } from '../../electron/main/app/db/migrations';
import { openDatabase } from '../../electron/main/app/db/open';
import { DATABASE_FILE, openApp } from '../../electron/main/app/index';
import { memorySecrets, quietLog, startApp, tempDir } from './helpers';

// Tables made before issue 16 (loosely typed, as SQLite was by default); every table after them is STRICT.
const LOOSE_BEFORE_STRICT = new Set([
  'workstation', 'settings', 'people', 'batches', 'receipts', 'remote_receipts', 'server_verdicts', 'flags', 'decisions',
  'register_a', 'register_b', 'register_state', 'outbox', 'audit', 'decision_refusals', 'decision_server_order',
  'decision_refusal_lifts', 'witnessed_heads', 'server_clock',
]);

describe('migrations', () => {
  it('every table added since issue 16 is STRICT', async () => {
    const t = await startApp();
    await t.close();
    const db = new Database(join(t.dir, DATABASE_FILE), { readonly: true });
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string; strict: number }>;
    db.close();
    const loose = tables.filter((x) => x.strict === 0 && !LOOSE_BEFORE_STRICT.has(x.name)).map((x) => x.name);
    expect(loose).toEqual([]);
    expect(tables.map((x) => x.name)).toEqual(expect.arrayContaining(['receipt_places', 'batch_place_counts']));
  });

  it('a fresh database reaches the latest version, and opening again changes nothing', async () => {
    const t = await startApp();
    await t.close();
    const db = new Database(join(t.dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const again = await startApp({ dir: t.dir });
    expect((await again.must('getState', {})).audit.ok).toBe(true);
  });

  it('002 upgrades a version-1 database in place: the rows stay, the time indexes serve the lookups', async () => {
    const dir = tempDir();
    const path = join(dir, DATABASE_FILE);
    const v1 = new Database(path);
    v1.pragma('journal_mode = WAL');
    MIGRATIONS[0]!.up(v1);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO audit (seq, at, actor, event, detail, prev_hash, hash) VALUES (1, '2026-11-25T08:00:00.000Z', NULL, 'app.started', '{}', ?, ?)").run('0'.repeat(64), 'x'.repeat(64));
    v1.close();
    const upgraded = new Database(path);
    const { runMigrations } = await import('../../electron/main/app/db/migrations');
    expect(runMigrations(upgraded)).toEqual({ ok: true, value: MIGRATIONS.at(-1)!.version });
    expect(upgraded.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
    const plan = (sql: string) => (upgraded.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan("SELECT seq FROM audit WHERE at >= '2026-11-25' ORDER BY at LIMIT 1")).toContain('audit_at');
    expect(plan("SELECT count(*) FROM receipts WHERE scanned_at >= '2026-11-25'")).toContain('receipts_scanned_at');
    upgraded.close();
  });

  it('003 upgrades a version-2 database in place: the register copy stays, and learns when a member voted online', async () => {
    const dir = tempDir();
    const path = join(dir, DATABASE_FILE);
    const v2 = new Database(path);
    v2.pragma('journal_mode = WAL');
    MIGRATIONS[0]!.up(v2);
    MIGRATIONS[1]!.up(v2);
    v2.pragma('user_version = 2');
    // a copy loaded from the server before the upgrade: M-2 voted online, the desk knew only that
    for (const table of ['register_a', 'register_b']) {
      v2.prepare(`INSERT INTO ${table} (ballot_number, issue, status, member_ref, online_voted) VALUES (1, 1, 'issued', 'M-1', 0), (2, 1, 'issued', 'M-2', 1)`).run();
    }
    v2.close();
    const upgraded = new Database(path);
    const { runMigrations } = await import('../../electron/main/app/db/migrations');
    expect(runMigrations(upgraded)).toEqual({ ok: true, value: MIGRATIONS.at(-1)!.version });
    for (const table of ['register_a', 'register_b']) {
      expect(upgraded.prepare(`SELECT ballot_number, online_voted, online_voted_at FROM ${table} ORDER BY ballot_number`).all()).toEqual([
        { ballot_number: 1, online_voted: 0, online_voted_at: null },
        { ballot_number: 2, online_voted: 1, online_voted_at: null },
      ]);
    }
    upgraded.close();
    // the upgraded copy serves the app, and the next change from the server brings the time
    const opened = openDatabase(path);
    if (!opened.ok) throw new Error(opened.error.message);
    const core = createCore({ db: opened.value, dataDir: dir, log: quietLog, secretStore: memorySecrets(), now: () => new Date('2026-11-25T09:00:00Z') });
    core.registerStore.applyRegisterChanges([{ ballotNumber: 2, issue: 1, status: 'issued', memberRef: 'M-2', onlineVoted: true, onlineVotedAt: '2026-11-25T08:12:34.567Z' }]);
    expect(core.register.pack(1, 1)).toMatchObject({ memberRef: 'M-1', onlineVoted: false, onlineVotedAt: null });
    expect(core.register.pack(2, 1)).toMatchObject({ memberRef: 'M-2', onlineVoted: true, onlineVotedAt: '2026-11-25T08:12:34.567Z' });
    await core.close();
  });

  it('004 upgrades a version-3 database in place: decisions stay current until the server refuses one', async () => {
    const dir = tempDir();
    const path = join(dir, DATABASE_FILE);
    const v3 = new Database(path);
    v3.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 3)) m.up(v3);
    v3.pragma('user_version = 3');
    v3.close();
    const upgraded = new Database(path);
    const { runMigrations } = await import('../../electron/main/app/db/migrations');
    expect(runMigrations(upgraded)).toEqual({ ok: true, value: MIGRATIONS.at(-1)!.version });
    const { currentDecisionOf } = await import('../../electron/main/app/ledger/current-decision');
    // Two decisions on one flag, without the receipt, tray and person a real flag needs.
    upgraded.pragma('foreign_keys = OFF');
    upgraded.exec(`
      INSERT INTO decisions (id, flag_id, decision, note, supervisor_id, supervisor_name, decided_at) VALUES
        ('d1', 'f1', 'set_aside', 'first', NULL, 'Sam', '2026-11-25T09:00:00Z'),
        ('d2', 'f1', 'count', 'second', NULL, 'Sam', '2026-11-25T09:01:00Z')`);
    const current = () => (upgraded.prepare(`SELECT ${currentDecisionOf('f')} AS d FROM (SELECT 'f1' AS id) f`).get() as { d: string | null }).d;
    expect(current()).toBe('count');
    upgraded.pragma('foreign_keys = ON');
    upgraded.prepare("INSERT INTO decision_refusals (decision_id, reason, refused_at) VALUES ('d2', 'already counted', '2026-11-25T09:02:00Z')").run();
    expect(current()).toBe('set_aside');
    expect(() => upgraded.prepare("UPDATE decision_refusals SET reason = 'x'").run()).toThrow(/appended, never changed/);
    upgraded.close();
  });

  it('versions are numbered 1, 2, 3… without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('a database with a higher user_version is refused with newer_database and left unchanged', async () => {
    const dir = tempDir();
    const path = join(dir, DATABASE_FILE);
    const db = new Database(path);
    db.exec('CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (1);');
    db.pragma(`user_version = ${MIGRATIONS.at(-1)!.version + 1}`);
    db.close();
    const before = createHash('sha256').update(readFileSync(path)).digest('hex');
    const opened = await openApp({ dataDir: dir, log: quietLog, secretStore: memorySecrets() });
    expect(opened).toMatchObject({ ok: false, error: { code: 'newer_database' } });
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(before);
  });
});
