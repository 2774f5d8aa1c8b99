// The real central server for end-to-end tests: `server/cli.ts` as a child process on
// PostgreSQL when DATABASE_URL is set (in a scratch database of its own), else on its embedded
// PostgreSQL in a temp folder (`--data-dir`, as people run it); an election set up through the
// admin API; the online-voting platform's redeem call; and a look into the server's database
// at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db as ServerDb } from '../../server/db/db';
import { lockDataDir } from '../../server/db/data-dir-lock';
import { startEmbeddedPostgres } from '../../server/db/embedded-postgres';
import { openPostgres } from '../../server/db/postgres';
import { createScratchDatabase, spawnServer, type ServerProcess } from '../server/processes';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef0123';

export interface Central {
  url: string;
  engine: 'postgres' | 'embedded';
  admin<T = unknown>(method: 'POST' | 'PATCH', path: string, body?: { json?: unknown; csv?: string }): Promise<T>;
  /** POST /v1/online-codes/redeem as the online-voting platform: the HTTP status and body */
  redeem(code: string): Promise<{ status: number; body: unknown }>;
  /** stops the server and opens its database (embedded: starts its PostgreSQL again, until stop()) */
  stopAndOpenDb(): Promise<ServerDb>;
  stop(): Promise<void>;
}

export async function startCentral(): Promise<Central> {
  const scratch = process.env.DATABASE_URL ? await createScratchDatabase(process.env.DATABASE_URL, 'e2e') : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'ballot-e2e-server-'));
  const server: ServerProcess = await spawnServer(scratch ? ['--database-url', scratch.url] : ['--data-dir', dataDir], {
    BALLOT_ADMIN_TOKEN: ADMIN_TOKEN,
    BALLOT_SERVER_SECRET: 'e2e-server-secret-0123456789abcdef0123456789',
  });
  const admin = async <T>(method: string, path: string, body?: { json?: unknown; csv?: string }): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` };
    if (body?.json !== undefined) headers['content-type'] = 'application/json';
    if (body?.csv !== undefined) headers['content-type'] = 'text/csv';
    const res = await fetch(server.url + path, { method, headers, body: body?.csv ?? (body?.json === undefined ? undefined : JSON.stringify(body.json)) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  let integrationToken: string | null = null;
  let db: ServerDb | null = null;
  return {
    url: server.url,
    engine: scratch ? 'postgres' : 'embedded',
    admin,
    async redeem(code) {
      integrationToken ??= (await admin<{ token: string }>('POST', '/v1/admin/integration-tokens')).token;
      const res = await fetch(`${server.url}/v1/online-codes/redeem`, {
        method: 'POST',
        headers: { authorization: `Bearer ${integrationToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      return { status: res.status, body: await res.json() };
    },
    async stopAndOpenDb() {
      await server.stop();
      db = scratch ? await openPostgres(scratch.url, { maxConnections: 2 }) : await openEmbedded(dataDir);
      return db;
    },
    async stop() {
      await server.stop();
      await db?.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The stopped embedded server's database: its PostgreSQL started on the same data directory. */
async function openEmbedded(dataDir: string): Promise<ServerDb> {
  const unlock = lockDataDir(dataDir);
  const pg = await startEmbeddedPostgres({ dataDir }).catch((e: unknown) => {
    unlock();
    throw e;
  });
  const db = await openPostgres(pg.url, { maxConnections: 2, engine: 'embedded' });
  return {
    ...db,
    async close() {
      await db.close();
      await pg.stop();
      unlock();
    },
  };
}
