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
