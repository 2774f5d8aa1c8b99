// Embedded PostgreSQL (PGlite, WebAssembly) in a data directory: `npm run server` needs
// nothing installed. One process per data directory; PGlite runs one statement at a time.
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult } from './db';

// int8 as a JS number (our ids stay far below 2^53), the same as in postgres.ts.
const parsers = { [types.INT8]: (v: string) => Number(v) };

// PGlite runs each statement synchronously on this thread and resolves at once, so a chain
// of statements (and the next queued transaction) would run as microtasks without ever letting
// Node read a socket. Yielding after each statement lets new requests in and queue fairly.
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const r = await q.query<R>(sql, params as unknown[]);
      await yieldToEventLoop();
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  };
}

/** `dataDir` undefined = in memory (tests). */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = await PGlite.create(dataDir, { parsers });
  const self = wrap(pg);
  return {
    engine: 'pglite',
    query: self.query,
    exec: self.exec,
    transaction: (work) => pg.transaction((tx) => work(wrap(tx as unknown as Pick<PGlite, 'query' | 'exec'>))),
    close: () => pg.close(),
  };
}
