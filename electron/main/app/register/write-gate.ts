// The main connection's write transactions, announced to the register import worker.
//
// SQLite has one write lock per database file and no queue for it: a writer that finds it
// taken sleeps in its busy handler (1, 2, 5, 10, … 100 ms between tries) and finds it taken
// again if the other writer has started its next transaction meanwhile. On the main thread
// that sleep is an event-loop stall: a scan during a register import waited up to 440 ms
// for the worker, whose write transactions follow each other back to back.
//
// So the main connection counts its transactions in progress in shared memory, and the worker
// looks before each step: while the count is above zero it commits what it has and waits
// (Atomics.wait, off the main thread) until the count is back to zero. A scan then waits at
// most for one short step of the worker's current transaction and its commit.
import type { Db } from '../db/open';

const gates = new WeakMap<Db, SharedArrayBuffer>();

/**
 * The shared counter of `db`'s write transactions in progress (one Int32). The first call wraps
 * `db.transaction`, so every transaction made with it afterwards (all of the app's writes)
 * counts itself in and out; calling it again returns the same buffer.
 */
export function writeGate(db: Db): SharedArrayBuffer {
  const existing = gates.get(db);
  if (existing) return existing;
  const buffer = new SharedArrayBuffer(4);
  const count = new Int32Array(buffer);
  const make = db.transaction.bind(db);
  const announced = <F extends (...args: never[]) => unknown>(run: F): F =>
    function (this: unknown, ...args: Parameters<F>) {
      Atomics.add(count, 0, 1);
      try {
        return run.apply(this, args);
      } finally {
        Atomics.sub(count, 0, 1);
        Atomics.notify(count, 0);
      }
    } as F;
  db.transaction = function transaction(fn) {
    const tx = make(fn);
    const variants = {
      default: announced(tx),
      deferred: announced(tx.deferred),
      immediate: announced(tx.immediate),
      exclusive: announced(tx.exclusive),
    };
    // the same shape as better-sqlite3's own: each variant carries all four and the database
    for (const f of Object.values(variants)) {
      for (const [name, value] of Object.entries(variants)) Object.defineProperty(f, name, { value });
      Object.defineProperty(f, 'database', { value: db, enumerable: true });
    }
    return variants.default;
  } as Db['transaction'];
  gates.set(db, buffer);
  return buffer;
}

/** The worker's side: is a main-connection transaction waiting or running? */
export function mainIsWriting(count: Int32Array): boolean {
  return Atomics.load(count, 0) > 0;
}

/** The worker's side: blocks (this thread only) until no main-connection transaction is in progress. */
export function waitForMainWrites(count: Int32Array): void {
  for (;;) {
    const n = Atomics.load(count, 0);
    if (n <= 0) return;
    Atomics.wait(count, 0, n, 50);
  }
}
