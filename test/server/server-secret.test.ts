// Issue 15 item 6: the online-code key never sits beside the code hashes. On an external
// PostgreSQL the server refuses to start without a secret from outside the database; a
// secret file others can read is refused; a different secret from the one the codes were made
// with is refused (it would make every code unrecognisable); an earlier version's key row is
// adopted only when it matches, and then leaves the database.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/db';
import { migrate } from '../../server/db/migrations';
import { loadServerSecret } from '../../server/security/server-secret';
import { ENGINES, dropTestSchemas, embeddedTestUrl } from './harness';
import { createScratchDatabase, spawnServer } from './processes';

const dir = mkdtempSync(join(tmpdir(), 'ballot-secret-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropTestSchemas();
});

const KEY = 'a-server-secret-of-at-least-32-characters-0001';
const OTHER = 'a-server-secret-of-at-least-32-characters-0002';

function secretFile(name: string, value: string, mode = 0o600): string {
  const file = join(dir, name);
  writeFileSync(file, value + '\n');
  chmodSync(file, mode);
  return file;
}

async function freshDb(engine: (typeof ENGINES)[number]): Promise<Db> {
  const db = await engine.open();
  await migrate(db);
  return db;
}

describe.each(ENGINES)('server secret ($name)', (engine) => {
  it('refuses an external PostgreSQL without a secret from outside the database, in words', async () => {
    const db = await freshDb(engine);
    try {
      await expect(loadServerSecret(db, {})).rejects.toThrow(/BALLOT_SERVER_SECRET or pass --server-secret-file/);
      const { rows } = await db.query(`select name from server_settings where name like 'server_secret%'`);
      expect(rows).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('refuses a secret file other users can read, and a short one', async () => {
    const db = await freshDb(engine);
    try {
      await expect(loadServerSecret(db, { file: secretFile('open', KEY, 0o644) })).rejects.toThrow(/chmod 600/);
      await expect(loadServerSecret(db, { file: secretFile('short', 'too-short') })).rejects.toThrow(/at least 32 characters/);
      await expect(loadServerSecret(db, { file: join(dir, 'missing') })).rejects.toThrow(/cannot be read/);
    } finally {
      await db.close();
    }
  });

  it('keeps to the secret the codes were made with: a different one is refused at start', async () => {
    const db = await freshDb(engine);
    try {
      const first = await loadServerSecret(db, { file: secretFile('key', KEY) });
      expect(first.secret.toString()).toBe(KEY);
      expect((await loadServerSecret(db, { env: KEY })).from).toBe('BALLOT_SERVER_SECRET');
      await expect(loadServerSecret(db, { env: OTHER })).rejects.toThrow(/not the one this database's online codes were made with/);
      // the database holds a check value, never the key
      const { rows } = await db.query<{ value: string }>(`select value from server_settings where name like 'server_secret%'`);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.value).not.toContain(KEY);
    } finally {
      await db.close();
    }
  });

  it("adopts an earlier version's key row only when the secret given matches it, then removes it", async () => {
    const db = await freshDb(engine);
    try {
      await db.query(`insert into server_settings (name, value) values ('server_secret', $1)`, [KEY]);
      await expect(loadServerSecret(db, { env: OTHER })).rejects.toThrow(/keeps its online-code key in its own table/);
      expect((await db.query(`select 1 from server_settings where name = 'server_secret'`)).rows).toHaveLength(1);
      await loadServerSecret(db, { file: secretFile('legacy', KEY) });
      expect((await db.query(`select 1 from server_settings where name = 'server_secret'`)).rows).toHaveLength(0);
    } finally {
      await db.close();
    }
  });
});

describe('server secret, embedded engine', () => {
  it('makes DATA_DIR/server-secret at first start, readable by its owner only, and keeps it', async () => {
    const db = await freshDb(ENGINES[0]!);
    try {
      const dataDir = mkdtempSync(join(dir, 'data-'));
      const made = await loadServerSecret(db, { dataDir });
      const file = join(dataDir, 'server-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(made.secret.toString());
      expect((await loadServerSecret(db, { dataDir })).secret.equals(made.secret)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('the command line refuses --database-url without a secret and says why', async () => {
    const scratch = await createScratchDatabase(embeddedTestUrl(), 'secret');
    try {
      const started = spawnServer(['--database-url', scratch.url], { BALLOT_SERVER_SECRET: '', BALLOT_ADMIN_TOKEN: 'secret-test-admin-token-0123456789' });
      await expect(started).rejects.toThrow(/Central server could not start: On an external PostgreSQL the online-code key must be kept outside the database/);
      const withFile = await spawnServer(['--database-url', scratch.url, '--server-secret-file', secretFile('cli', KEY)], {
        BALLOT_SERVER_SECRET: '',
        BALLOT_ADMIN_TOKEN: 'secret-test-admin-token-0123456789',
      });
      expect((await fetch(`${withFile.url}/healthz`)).status).toBe(200);
      await withFile.stop();
    } finally {
      await scratch.drop();
    }
  }, 120_000);
});
