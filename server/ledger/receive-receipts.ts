// POST /v1/receipts: the server's authoritative verdict on a batch of envelopes from one
// workstation (contracts.md §3–§4). One transaction per batch, in three steps:
//   1. load (batch/load-batch.ts): lock the batch's members in member-id order (envelopes not
//      on the register: the register gate and a lock per barcode) and read what is already
//      known about them — the packs, the close, earlier receipts;
//   2. judge (batch/judge-batch.ts): put each envelope's facts to the one judge (shared/judge)
//      in batch order, no database;
//   3. write (batch/write-batch.ts): receipts, flags, online-code changes and change events,
//      with array parameters.
// Because every receipt of a known ballot locks its member first, and every receipt of an
// unknown one locks its barcode, the one-vote rule and "duplicate anywhere" hold across any
// number of server processes on one PostgreSQL.
import { parseBarcode } from '../../shared/barcode/barcode';
import type { ReceiptIn, ReceiptResult } from '../../shared/protocol/central-api';
import { retryingTransaction, type Db, type Queryable } from '../db/db';
import { judgeBatch } from './batch/judge-batch';
import { GateBusy, loadBatchFacts } from './batch/load-batch';
import type { Workstation } from './batch/rows';
import { writeBatch } from './batch/write-batch';

export type { Workstation } from './batch/rows';

export async function receiveReceipts(db: Db, ws: Workstation, receipts: ReceiptIn[], now: () => Date): Promise<ReceiptResult[]> {
  // Set when an import held the register gate: the next attempt takes the gate before any
  // member lock (the lock order of locks.ts), rather than trying it after them.
  let gateFirst = false;
  return retryingTransaction(db, (tx) =>
    receiveBatch(tx, ws, receipts, now().toISOString(), gateFirst).catch((e: unknown) => {
      if (e instanceof GateBusy) gateFirst = true;
      throw e;
    }),
  );
}

/** One attempt: load facts → judge → write. */
async function receiveBatch(tx: Queryable, ws: Workstation, receipts: ReceiptIn[], receivedAt: string, gateFirst: boolean): Promise<ReceiptResult[]> {
  const envelopes = receipts.map((r) => parseBarcode(r.barcode, ws.electionNumber));
  const facts = await loadBatchFacts(tx, ws, receipts, envelopes, gateFirst);
  const verdict = judgeBatch(ws, receipts, envelopes, facts, receivedAt);
  await writeBatch(tx, ws, verdict, receivedAt);
  return verdict.judged.map((j) => j.result);
}
