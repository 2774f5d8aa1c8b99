// The server's one view of its database — PostgreSQL, embedded (a private cluster in the data
// directory) or external (by URL): plain SQL with $n parameters, and transactions on one
// connection. Every invariant of contracts.md §3 is held by SQL inside `transaction`, never in
// process memory, so several server processes may share one PostgreSQL.

export interface QueryResult<R> {
  rows: R[];
  /** rows changed by INSERT/UPDATE/DELETE (or returned by SELECT) */
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Both are PostgreSQL: `embedded` is the server's own cluster, `postgres` one given by URL. */
export type Engine = 'embedded' | 'postgres';

export interface Db extends Queryable {
  readonly engine: Engine;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATEs after which a whole transaction may simply be tried again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

export function isRetryable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && RETRYABLE.has(String((e as { code?: unknown }).code));
}

/**
 * A transaction that is retried when it lost a race with another process (serialization
 * failure, deadlock, or a unique key taken meanwhile): the retry sees the winner's rows.
 */
export async function retryingTransaction<T>(db: Db, work: (tx: Queryable) => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

/** One numbered step of the server's schema (./migrations/NNN-*.ts); never edited once released. */
export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}
