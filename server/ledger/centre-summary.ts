// GET /v1/centre/summary: the figures of the caller's centre as the server holds them, for
// the end-of-day statement of any one desk (a desk's own SQLite only knows its own envelopes).
// One statement, so every figure comes from one snapshot: totals, flags by kind, decisions by
// kind (each flag's latest resolution) and one row per workstation of the centre.
// Indexed by centre (migration 3), so a centre of a million receipts is one index range, never
// a scan of every centre's receipts.
import { DECISIONS, FLAG_KINDS, type Decision, type FlagKind } from '../../shared/domain';
import type { CentreSummary } from '../../shared/protocol/central-api';
import type { Queryable } from '../db/db';

export const CENTRE_SUMMARY_SQL = `
with per_device as (
  select device_id, count(*)::int as received,
         count(*) filter (where outcome = 'accepted')::int as accepted,
         max(received_at) as last_received_at
    from receipts where centre_id = $1
   group by device_id),
flag_state as (
  -- Resolutions are appended: a flag's decision is the one committed last, by the
  -- resolutions' sequence (resolutions_flag_seq), never by a process's clock.
  select f.kind,
         (select r.decision from resolutions r where r.flag_id = f.flag_id
           order by r.seq desc limit 1) as decision
    from flags f where f.centre_id = $1),
by_kind as (select coalesce(jsonb_object_agg(kind, n), '{}'::jsonb) as j from (select kind, count(*)::int as n from flag_state group by kind) k),
by_decision as (select coalesce(jsonb_object_agg(d, n), '{}'::jsonb) as j
                  from (select coalesce(decision, 'open') as d, count(*)::int as n from flag_state group by 1) k)
select d.device_id, d.name, d.revoked_at is not null as revoked, d.clock_skew_ms,
       coalesce(p.received, 0) as received, coalesce(p.accepted, 0) as accepted, p.last_received_at,
       (select h.witnessed_at from audit_heads h where h.device_id = d.device_id
         order by h.seq desc, h.hash desc limit 1) as last_witnessed_at,
       (select j from by_kind) as flagged_by_kind,
       (select j from by_decision) as decisions_by_kind
  from devices d left join per_device p on p.device_id = d.device_id
 where d.centre_id = $1
 order by d.enrolled_at, d.name, d.device_id`;

interface Row {
  device_id: string;
  name: string;
  revoked: boolean;
  clock_skew_ms: number | null;
  received: number;
  accepted: number;
  last_received_at: Date | null;
  last_witnessed_at: Date | null;
  flagged_by_kind: Record<string, number>;
  decisions_by_kind: Record<string, number>;
}

export interface CentreOf {
  centreId: string;
  centreName: string;
  electionNumber: number;
}

export async function centreSummary(db: Queryable, centre: CentreOf, asOf: Date): Promise<CentreSummary> {
  const { rows } = await db.query<Row>(CENTRE_SUMMARY_SQL, [centre.centreId]);
  // Every row carries the same centre-wide aggregates; a centre always has the caller's device.
  const first = rows[0];
  const flaggedByKind = Object.fromEntries(FLAG_KINDS.map((k) => [k, first?.flagged_by_kind[k] ?? 0])) as Record<FlagKind, number>;
  const decisionsByKind = Object.fromEntries([...DECISIONS, 'open'].map((d) => [d, first?.decisions_by_kind[d] ?? 0])) as Record<Decision | 'open', number>;
  const received = rows.reduce((s, r) => s + r.received, 0);
  const accepted = rows.reduce((s, r) => s + r.accepted, 0);
  return {
    centreId: centre.centreId,
    centreName: centre.centreName,
    electionNumber: centre.electionNumber,
    asOf: asOf.toISOString(),
    received,
    accepted,
    // Every stored receipt is accepted or flagged (rejected ones are never stored).
    flagged: received - accepted,
    flaggedByKind,
    decisionsByKind,
    workstations: rows.map((r) => ({
      deviceId: r.device_id,
      name: r.name,
      received: r.received,
      lastReceivedAt: r.last_received_at?.toISOString() ?? null,
      lastWitnessedAt: r.last_witnessed_at?.toISOString() ?? null,
      revoked: r.revoked,
      clockSkewMs: r.clock_skew_ms,
    })),
  };
}
