// Step 3 of a batch (receive-receipts.ts): the verdicts written in the batch's transaction —
// rejected receipts, stored receipts with their members' code states, flags, then the change
// events — with one JSON or array parameter per table rather than a statement per receipt.
import type { Queryable } from '../../db/db';
import { appendEvents } from '../events';
import type { BatchVerdict, Judged, Workstation } from './rows';

/** A unique key taken by a concurrent transaction: retrying sees the winner's row. */
export class LostRace extends Error {
  readonly code = '23505';
}

export async function writeBatch(tx: Queryable, ws: Workstation, verdict: BatchVerdict, receivedAt: string): Promise<void> {
  await writeJudged(tx, ws, verdict, receivedAt);
  await appendEvents(tx, ws.electionNumber, [], verdict.changes, receivedAt);
}

async function writeJudged(tx: Queryable, ws: Workstation, { judged, codeChanges }: BatchVerdict, receivedAt: string): Promise<void> {
  const rejected = judged.filter((j): j is Judged & { rejectedHash: string } => j.rejectedHash !== undefined);
  if (rejected.length > 0) {
    // Received, though it changes nothing: its workstationSeq is no gap, and a resend is
    // answered from here.
    await tx.query(
      `insert into rejected_receipts (receipt_id, election_number, centre_id, device_id, workstation_seq, content_hash, result, received_at)
       select u.id, $1, $2, $3, u.seq, u.hash, u.result, $4
         from jsonb_to_recordset($5::jsonb) as u(id uuid, seq bigint, hash text, result jsonb)
       on conflict (receipt_id) do nothing`,
      [ws.electionNumber, ws.centreId, ws.deviceId, receivedAt, JSON.stringify(rejected.map((j) => ({ id: j.input.receiptId.toLowerCase(), seq: j.input.workstationSeq, hash: j.rejectedHash, result: j.result })))],
    );
  }
  const toStore = judged.filter((j): j is Judged & { store: NonNullable<Judged['store']> } => j.store !== undefined);
  if (toStore.length === 0) return;
  // One JSON parameter instead of many arrays: Node serialises it natively (array
  // parameters are escaped element by element), PostgreSQL parses it in C.
  const rowsJson = JSON.stringify(
    toStore.map((j) => ({
      id: j.input.receiptId.toLowerCase(),
      barcode: j.store.barcode,
      member_id: j.store.memberId,
      scanned_at: j.input.scannedAt,
      seq: j.input.workstationSeq,
      operator_id: j.input.operatorId,
      batch_id: j.input.batchId,
      source: j.input.source,
      outcome: j.result.outcome,
      flag_id: j.store.flag?.flagId ?? null,
      hash: j.store.contentHash,
      result: j.result,
      desk_flag: j.input.deskFlag?.kind ?? null,
      confirmed_by: j.input.confirmedBy ?? null,
    })),
  );
  const codesJson = JSON.stringify([...codeChanges.entries()].map(([id, c]) => ({ id, state: c.state, counted: c.counted })));
  const { rows } = await tx.query<{ inserted: number }>(
    `with stored as (
       insert into receipts (receipt_id, election_number, centre_id, device_id, barcode, member_id, scanned_at, received_at,
                             workstation_seq, operator_id, batch_id, source, outcome, flag_id, content_hash, result, desk_flag, confirmed_by)
       select u.id, $1, $2, $3, u.barcode, u.member_id, u.scanned_at, $4, u.seq, u.operator_id, u.batch_id, u.source,
              u.outcome, u.flag_id, u.hash, u.result, u.desk_flag, u.confirmed_by
         from jsonb_to_recordset($5::jsonb) as u(id uuid, barcode text, member_id bigint, scanned_at timestamptz, seq bigint,
              operator_id text, batch_id text, source text, outcome text, flag_id uuid, hash text, result jsonb, desk_flag text, confirmed_by text)
       on conflict (receipt_id) do nothing
       returning 1),
     counted as (
       update members m set code_state = c.state, counted_receipt_id = c.counted
         from jsonb_to_recordset($6::jsonb) as c(id bigint, state text, counted uuid) where m.member_id = c.id
       returning 1)
     select (select count(*) from stored)::int as inserted, (select count(*) from counted)::int as counted`,
    [ws.electionNumber, ws.centreId, ws.deviceId, receivedAt, rowsJson, codesJson],
  );
  if (rows[0]!.inserted !== toStore.length) throw new LostRace('a receipt id was stored concurrently');
  const flagged = toStore.filter((j) => j.store.flag);
  if (flagged.length === 0) return;
  await tx.query(
    `insert into flags (flag_id, receipt_id, election_number, centre_id, member_id, kind, related_receipt_ids, detail, raised_at)
     select u.flag_id, u.receipt_id, $1, $2, u.member_id, u.kind, u.related::jsonb, u.detail, $3
       from unnest($4::uuid[], $5::uuid[], $6::bigint[], $7::text[], $8::text[], $9::text[])
            as u(flag_id, receipt_id, member_id, kind, related, detail)`,
    [
      ws.electionNumber,
      ws.centreId,
      receivedAt,
      flagged.map((j) => j.store.flag!.flagId),
      flagged.map((j) => j.input.receiptId.toLowerCase()),
      flagged.map((j) => j.store.memberId),
      flagged.map((j) => j.store.flag!.kind),
      flagged.map((j) => JSON.stringify(j.store.flag!.relatedReceiptIds)),
      flagged.map((j) => j.store.flag!.detail),
    ],
  );
}
