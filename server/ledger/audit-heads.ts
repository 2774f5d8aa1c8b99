// Audit-chain heads a workstation sends (contracts.md §3): the server keeps every one, and
// compares each new head with what it already witnessed for that device. A desk whose history
// was cut or rewritten after the server saw it cannot hide it: a head behind the highest one
// witnessed, or the same seq with another hash, is refused (409 audit_history_rewritten) and
// recorded as an alert for the returning officer.
import { err, ok, type Result } from '../../shared/result';
import type { LatestAuditHead } from '../../shared/protocol/central-api';
import type { Db } from '../db/db';

export interface HeadIn {
  seq: number;
  hash: string;
  /** the desk's highest workstationSeq when it took the head (for the sequence-gap report) */
  receiptSeq?: number | undefined;
}

export interface Witnessed {
  seq: number;
  hash: string;
  witnessedAt: Date;
}

export type HeadRefusal = { kind: 'rewritten'; witnessed: Witnessed; reason: string };

export async function witnessAuditHead(
  db: Db,
  device: { deviceId: string; centreId: string },
  head: HeadIn,
  now: Date,
): Promise<Result<{ witnessedAt: Date }, HeadRefusal>> {
  return db.transaction(async (tx) => {
    // One head of a device at a time: two requests at once cannot both pass the comparison.
    await tx.query(`select 1 from devices where device_id = $1 for update`, [device.deviceId]);
    type Row = { seq: number; hash: string; witnessed_at: Date };
    const { rows: same } = await tx.query<Row>(
      `select seq, hash, witnessed_at from audit_heads where device_id = $1 and seq = $2 order by witnessed_at limit 1`,
      [device.deviceId, head.seq],
    );
    const { rows: top } = await tx.query<Row>(
      `select seq, hash, witnessed_at from audit_heads where device_id = $1 order by seq desc, witnessed_at limit 1`,
      [device.deviceId],
    );
    const atSeq = same[0];
    const highest = top[0];
    if (atSeq && atSeq.hash === head.hash) return ok({ witnessedAt: atSeq.witnessed_at });
    let reason: string | null = null;
    if (atSeq) reason = `the head at seq ${head.seq} has another hash than the one witnessed`;
    else if (highest && head.seq < highest.seq) reason = `the head seq ${head.seq} is behind seq ${highest.seq}, already witnessed`;
    if (reason) {
      const witnessed = atSeq ?? highest!;
      await tx.query(
        `insert into audit_alerts (device_id, centre_id, at, witnessed_seq, witnessed_hash, witnessed_at, sent_seq, sent_hash, reason)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [device.deviceId, device.centreId, now.toISOString(), witnessed.seq, witnessed.hash, witnessed.witnessed_at, head.seq, head.hash, reason],
      );
      return err({ kind: 'rewritten', witnessed: { seq: witnessed.seq, hash: witnessed.hash, witnessedAt: witnessed.witnessed_at }, reason });
    }
    await tx.query(`insert into audit_heads (device_id, seq, hash, witnessed_at, receipt_seq) values ($1, $2, $3, $4, $5)`, [
      device.deviceId,
      head.seq,
      head.hash,
      now.toISOString(),
      head.receiptSeq ?? null,
    ]);
    return ok({ witnessedAt: now });
  });
}

/** The last head witnessed for a device, or null. */
export async function latestAuditHead(db: Db, deviceId: string): Promise<LatestAuditHead | null> {
  const { rows } = await db.query<{ seq: number; hash: string; witnessed_at: Date }>(
    `select seq, hash, witnessed_at from audit_heads where device_id = $1 order by seq desc, witnessed_at desc limit 1`,
    [deviceId],
  );
  const r = rows[0];
  return r ? { seq: r.seq, hash: r.hash, witnessedAt: r.witnessed_at.toISOString() } : null;
}

export interface AuditAlert {
  alertId: number;
  deviceId: string;
  centreId: string;
  at: string;
  reason: string;
  witnessed: { seq: number; hash: string; witnessedAt: string };
  sent: { seq: number; hash: string };
}

export async function auditAlerts(db: Db): Promise<AuditAlert[]> {
  const { rows } = await db.query<{
    alert_id: number; device_id: string; centre_id: string; at: Date; reason: string;
    witnessed_seq: number; witnessed_hash: string; witnessed_at: Date; sent_seq: number; sent_hash: string;
  }>(`select * from audit_alerts order by alert_id`);
  return rows.map((r) => ({
    alertId: r.alert_id,
    deviceId: r.device_id,
    centreId: r.centre_id,
    at: r.at.toISOString(),
    reason: r.reason,
    witnessed: { seq: r.witnessed_seq, hash: r.witnessed_hash, witnessedAt: r.witnessed_at.toISOString() },
    sent: { seq: r.sent_seq, hash: r.sent_hash },
  }));
}
