// Opening a central server from settings: the database (PGlite in a directory, or
// PostgreSQL by URL), the server secret and the admin token. Shared by cli.ts and the demo.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { createCentralServer, type CentralServer } from './app';
import type { Db } from './db/db';
import { openPglite } from './db/pglite';
import { openPostgres } from './db/postgres';
import { migrate } from './db/migrations';
import { lockDataDir } from './db/data-dir-lock';
import { setUpAdminToken } from './security/admin-token';
import { loadServerSecret } from './security/server-secret';

export interface StartSettings {
  dataDir?: string;
  databaseUrl?: string;
  adminToken?: string;
  adminTokenFile?: string;
  serverSecret?: string;
  logger?: FastifyServerOptions['logger'];
  /** the server's clock; tests skew it per process (the history checker) */
  now?: () => Date;
}

export interface StartedServer extends CentralServer {
  db: Db;
  /** a newly made admin token, to be printed once; null when configured or made earlier */
  newAdminToken: string | null;
  secretFrom: string;
}

export async function openCentralServer(s: StartSettings): Promise<StartedServer> {
  let db: Db;
  let dataDir: string | undefined;
  if (s.databaseUrl) {
    db = await openPostgres(s.databaseUrl);
  } else {
    dataDir = resolve(s.dataDir ?? '.data/server');
    mkdirSync(dataDir, { recursive: true });
    const unlock = lockDataDir(dataDir);
    try {
      const pglite = await openPglite(`${dataDir}/pglite`);
      db = { ...pglite, close: async () => { await pglite.close(); unlock(); } };
    } catch (e) {
      unlock();
      throw e;
    }
  }
  try {
    await migrate(db);
    const { secret, from } = await loadServerSecret(db, { env: s.serverSecret, dataDir });
    const newAdminToken = await setUpAdminToken(db, { env: s.adminToken, file: s.adminTokenFile }, new Date());
    const server = await createCentralServer({ db, secret, logger: s.logger ?? false, ...(s.now ? { now: s.now } : {}) });
    return { ...server, db, newAdminToken, secretFrom: from };
  } catch (e) {
    await db.close();
    throw e;
  }
}
