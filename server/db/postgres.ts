// PostgreSQL through a pg connection pool: the embedded cluster, or an external one shared by
// several server processes.
import pg from 'pg';
import type { Db, Engine, Queryable, QueryResult } from './db';

// int8 as a JS number (our ids stay far below 2^53).
const int8AsNumber = (v: string): number => Number(v);

export interface PostgresOptions {
  /** pool size per server process */
  maxConnections?: number;
  /** schema to use (tests isolate themselves this way); created if missing */
  schema?: string;
  /** what to call it (the embedded cluster is PostgreSQL too); default 'postgres' */
  engine?: Engine;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20 ? int8AsNumber : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  if (options.schema) await pool.query(`create schema if not exists ${quoteIdent(options.schema)}`);
  const wrap = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async exec(sql: string): Promise<void> {
      await c.query(sql);
    },
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const r = await c.query(sql, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
  });
  return {
    engine: options.engine ?? 'postgres',
    query: wrap(pool).query,
    exec: wrap(pool).exec,
    async transaction(work) {
      const client = await pool.connect();
      // A connection lost while checked out (PostgreSQL restarted between two statements of
      // this transaction) is reported as an 'error' event on the client; with no listener it
      // would end the whole process. The next statement fails instead, and the transaction with it.
      const onLost = (): void => undefined;
      client.on('error', onLost);
      try {
        await client.query('begin');
        const result = await work(wrap(client));
        await client.query('commit');
        return result;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.off('error', onLost);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return `"${name}"`;
}
