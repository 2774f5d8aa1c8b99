// The locks that hold the one-vote rule across server processes, and the one order in which
// every transaction takes them (so no two can wait on each other in a cycle):
//   1. the election's register gate (shared by receipts and decisions that touch envelopes not
//      on the register; exclusive for the import's step that ties them to their members),
//   2. envelope locks (one per unregistered barcode, in key order),
//   3. member rows (FOR UPDATE, in member_id order),
//   4. flag rows (FOR UPDATE).
// Advisory locks are transaction-scoped: released at commit or rollback.
import type { Queryable } from '../db/db';

/** Advisory-lock class of the register gate; the second key is the election number. */
const REGISTER_GATE = 4022003;

/** Receipts and decisions on unregistered envelopes: many at once, never beside an import's link step. */
export async function shareRegisterGate(tx: Queryable, electionNumber: number): Promise<void> {
  await tx.query('select pg_advisory_xact_lock_shared($1, $2)', [REGISTER_GATE, electionNumber]);
}

/** The same without waiting: false when an import holds the gate (the caller starts again, gate first). */
export async function tryShareRegisterGate(tx: Queryable, electionNumber: number): Promise<boolean> {
  const { rows } = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock_shared($1, $2) as ok', [REGISTER_GATE, electionNumber]);
  return rows[0]!.ok;
}

/** The import's link step: waits for every receipt and decision on an unregistered envelope in flight. */
export async function closeRegisterGate(tx: Queryable, electionNumber: number): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1, $2)', [REGISTER_GATE, electionNumber]);
}

/**
 * One lock per unregistered envelope, so that two receipts of the same unknown barcode (at two
 * centres, at once) see each other, and two decisions cannot both count it. Keys are hashes:
 * a collision only makes two envelopes wait for each other.
 */
export async function lockEnvelopes(tx: Queryable, electionNumber: number, barcodes: readonly string[]): Promise<void> {
  if (barcodes.length === 0) return;
  await tx.query(
    `select pg_advisory_xact_lock(k) from (
       select distinct hashtextextended('envelope:' || $1::text || ':' || b, 0) as k from unnest($2::text[]) as b order by 1) keys`,
    [electionNumber, [...barcodes]],
  );
}

/** A transaction that must start again (retryingTransaction retries SQLSTATE 40001). */
export class StartAgain extends Error {
  readonly code = '40001';
}
