// Opening a central server from settings: the database (the embedded PostgreSQL in a data
// directory, or a PostgreSQL by URL), the server secret and the admin token. Shared by cli.ts
// and the demo.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { createCentralServer, type CentralServer } from './app';
import type { Db } from './db/db';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres';
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
  /** --server-secret-file: the online-code key's file (required on an external PostgreSQL without serverSecret) */
  serverSecretFile?: string;
  logger?: FastifyServerOptions['logger'];
  /** `--trust-proxy`: the reverse proxies whose X-Forwarded-For names the client */
  trustProxy?: string[];
  /** HTTPS (`--tls-cert`, `--tls-key`) */
  tls?: { cert: Buffer; key: Buffer };
  /** false when `/metrics` has a listener of its own (`--metrics-port`) */
  metricsOnApi?: boolean;
  /** the server's clock; tests skew it per process (the history checker) */
  now?: () => Date;
}

export interface StartedServer extends CentralServer {
  db: Db;
  /** a newly made admin token, to be printed once; null when configured or made earlier */
  newAdminToken: string | null;
  secretFrom: string;
  /** the embedded PostgreSQL, when the server runs its own (stopped by `db.close()`) */
  embedded: EmbeddedPostgres | null;
}

export async function openCentralServer(s: StartSettings): Promise<StartedServer> {
  let db: Db;
  let dataDir: string | undefined;
  let embedded: EmbeddedPostgres | null = null;
  const startupLog: string[] = [];
  if (s.databaseUrl) {
    db = await openPostgres(s.databaseUrl);
  } else {
    dataDir = resolve(s.dataDir ?? '.data/server');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const unlock = lockDataDir(dataDir);
    try {
      embedded = await startEmbeddedPostgres({ dataDir, log: (m) => startupLog.push(m) });
      const pool = await openPostgres(embedded.url, { engine: 'embedded' });
      const pgInstance = embedded;
      db = {
        ...pool,
        async close() {
          try {
            await pool.close();
          } finally {
            try {
              await pgInstance.stop();
            } finally {
              unlock();
            }
          }
        },
      };
    } catch (e) {
      await embedded?.stop();
      unlock();
      throw e;
    }
  }
  try {
    await migrate(db);
    const { secret, from } = await loadServerSecret(db, { env: s.serverSecret, file: s.serverSecretFile, dataDir });
    const newAdminToken = await setUpAdminToken(db, { env: s.adminToken, file: s.adminTokenFile }, new Date());
    const server = await createCentralServer({
      db,
      secret,
      logger: s.logger ?? false,
      ...(s.now ? { now: s.now } : {}),
      ...(s.trustProxy ? { trustProxy: s.trustProxy } : {}),
      ...(s.tls ? { tls: s.tls } : {}),
      ...(s.metricsOnApi === false ? { metricsOnApi: false } : {}),
    });
    for (const m of startupLog) server.app.log.info(m);
    if (embedded)
      server.app.log.info(
        { startMs: embedded.startMs, initialised: embedded.initialised, pid: embedded.pid, port: embedded.port, dataDir: `${dataDir}/postgres` },
        `embedded PostgreSQL ${embedded.initialised ? 'initialised and started' : 'started'} in ${embedded.startMs} ms`,
      );
    return { ...server, db, newAdminToken, secretFrom: from, embedded };
  } catch (e) {
    await db.close();
    throw e;
  }
}
