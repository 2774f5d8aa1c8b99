// GET /v1/admin/devices/{id}/sequence-gaps: receipts a desk numbered that the server never got
// (contracts.md §3). Honest about what it can know:
//   - a rejected receipt was received: its number is no gap;
//   - a desk enrolled again keeps its numbering, so the numbers are those of every enrolment of
//     the same workstation name at the same centre (each enrolment's range is listed too);
//   - receipts lost at the END of a run leave no gap: the last audit head the desk posted says
//     how far it had numbered (receiptSeq), and anything above the highest number received is
//     named as the tail.
import type { z } from 'zod';
import type { sequenceGapsResponse } from '../../shared/protocol/central-api';
import type { Db } from '../db/db';

type SequenceGaps = z.infer<typeof sequenceGapsResponse>;

export async function sequenceGaps(db: Db, deviceId: string): Promise<SequenceGaps | null> {
  const { rows: device } = await db.query<{ centre_id: string; name: string; clock_skew_ms: number | null }>(
    `select centre_id, name, clock_skew_ms from devices where device_id = $1`,
    [deviceId],
  );
  if (!device[0]) return null;
  const { centre_id: centreId, name, clock_skew_ms: clockSkewMs } = device[0];
  const { rows: enrolments } = await db.query<{ device_id: string; enrolled_at: Date; lowest: number | null; highest: number | null; received: number }>(
    `select d.device_id, d.enrolled_at, min(s.seq) as lowest, max(s.seq) as highest, count(s.seq)::int as received
       from devices d
       left join lateral (select workstation_seq as seq from receipts where device_id = d.device_id
                          union all select workstation_seq from rejected_receipts where device_id = d.device_id) s on true
      where d.centre_id = $1 and d.name = $2
      group by d.device_id, d.enrolled_at order by d.enrolled_at, d.device_id`,
    [centreId, name],
  );
  const deviceIds = enrolments.map((e) => e.device_id);
  const { rows: missing } = await db.query<{ from_seq: number; to_seq: number }>(
    `select prev + 1 as from_seq, seq - 1 as to_seq from (
       select seq, lag(seq, 1, 0::bigint) over (order by seq) as prev from (
         select workstation_seq as seq from receipts where device_id = any($1::text[])
         union select workstation_seq from rejected_receipts where device_id = any($1::text[])) numbers) s
      where seq > prev + 1 order by seq limit 1000`,
    [deviceIds],
  );
  const highestSeq = Math.max(0, ...enrolments.map((e) => e.highest ?? 0));
  const { rows: heads } = await db.query<{ seq: number; witnessed_at: Date; receipt_seq: number | null }>(
    `select seq, witnessed_at, receipt_seq from audit_heads where device_id = any($1::text[])
      order by witnessed_at desc, seq desc limit 1`,
    [deviceIds],
  );
  const { rows: numbered } = await db.query<{ n: number | null }>(`select max(receipt_seq) as n from audit_heads where device_id = any($1::text[])`, [deviceIds]);
  const head = heads[0];
  const toSeq = numbered[0]?.n ?? null;
  return {
    deviceId,
    highestSeq,
    missing: missing.map((r) => ({ from: r.from_seq, to: r.to_seq })),
    enrolments: enrolments.map((e) => ({ deviceId: e.device_id, enrolledAt: e.enrolled_at.toISOString(), lowestSeq: e.lowest, highestSeq: e.highest, received: e.received })),
    lastAuditHead: head ? { seq: head.seq, witnessedAt: head.witnessed_at.toISOString(), receiptSeq: head.receipt_seq } : null,
    tail: toSeq !== null && toSeq > highestSeq ? { from: highestSeq + 1, to: toSeq } : null,
    clockSkewMs,
  };
}
