// Migrations: a fresh database reaches the latest version; a database from a newer app is
// refused and left exactly as it was.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/main/app/db/migrations';
import { DATABASE_FILE, openApp } from '../../electron/main/app/index';
import { memorySecrets, quietLog, startApp, tempDir } from './helpers';

describe('migrations', () => {
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
    expect(runMigrations(upgraded)).toEqual({ ok: true, value: 2 });
    expect(upgraded.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
    const plan = (sql: string) => (upgraded.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan("SELECT seq FROM audit WHERE at >= '2026-11-25' ORDER BY at LIMIT 1")).toContain('audit_at');
    expect(plan("SELECT count(*) FROM receipts WHERE scanned_at >= '2026-11-25'")).toContain('receipts_scanned_at');
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
