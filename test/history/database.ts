// The one PostgreSQL every server process of a run shares, and the checker reads: a scratch
// database on DATABASE_URL's server when that is set, else the embedded engine (a private
// PostgreSQL in a temporary folder), which this module can restart on the same port.
//
// Restarting PostgreSQL mid-run:
//   embedded       a real stop (fast shutdown: open transactions roll back, clients are cut
//                  off) and a start on the same port after `downMs`.
//   DATABASE_URL   the server is shared with other tests, so it is not stopped: the run's
//                  database refuses connections (datallowconn = false) and every connection to
//                  it is terminated — what the server processes see of a fast shutdown (their
//                  transactions are cut off with 57P01, new connections fail) — for `downMs`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres';
import { createScratchDatabase } from '../server/processes';

export interface HistoryDatabase {
  engine: 'embedded' | 'postgres';
  /** how `restart` restarts: a real stop and start, or cutting off the run's database */
  restartKind: 'stop_start' | 'terminate_connections';
  /** the run's database (every server process and the checker use it) */
  url: string;
  /** stops PostgreSQL (or cuts the database off), waits `downMs`, starts it again */
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function openHistoryDatabase(options: { engine?: 'embedded' | 'postgres'; log?: (m: string) => void } = {}): Promise<HistoryDatabase> {
  const engine = options.engine ?? (process.env.DATABASE_URL ? 'postgres' : 'embedded');
  if (engine === 'postgres') {
    const adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) throw new Error('engine postgres needs DATABASE_URL');
    return scratchOn(adminUrl, 'postgres', 'terminate_connections', null);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ballot-history-'));
  const first = await startEmbeddedPostgres({ dataDir: dir, settings: { max_connections: 200 }, ...(options.log ? { log: options.log } : {}) });
  return scratchOn(first.url, 'embedded', 'stop_start', { dir, pg: first });
}

async function scratchOn(
  adminUrl: string,
  engine: HistoryDatabase['engine'],
  restartKind: HistoryDatabase['restartKind'],
  embedded: { dir: string; pg: EmbeddedPostgres } | null,
): Promise<HistoryDatabase> {
  const scratch = await createScratchDatabase(adminUrl, 'history');
  const name = new URL(scratch.url).pathname.slice(1);
  let current = embedded?.pg ?? null;
  const unexpected: string[] = [];
  const watch = (p: EmbeddedPostgres): void => p.onUnexpectedExit((d) => unexpected.push(d));
  if (current) watch(current);
  const admin = async <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  return {
    engine,
    restartKind,
    url: scratch.url,
    async restart(downMs) {
      if (embedded && current) {
        const port = current.port;
        await current.stop();
        await new Promise((r) => setTimeout(r, downMs));
        current = await startEmbeddedPostgres({ dataDir: embedded.dir, port, settings: { max_connections: 200 } });
        watch(current);
        return;
      }
      await admin(async (c) => {
        await c.query(`alter database ${name} with allow_connections false`);
        await c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [name]);
      });
      await new Promise((r) => setTimeout(r, downMs));
      await admin((c) => c.query(`alter database ${name} with allow_connections true`));
    },
    async close() {
      if (unexpected.length > 0) console.error(`history: PostgreSQL stopped unexpectedly during the run:\n${unexpected.join('\n')}`);
      await scratch.drop().catch(() => undefined);
      if (embedded) {
        await current?.stop();
        rmSync(embedded.dir, { recursive: true, force: true });
      }
    },
  };
}
