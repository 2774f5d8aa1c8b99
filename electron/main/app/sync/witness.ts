// The desk's side of the witnessed head (audit/witness-guard.ts holds the check): ask the
// server for the last head it witnessed (GET /v1/audit-heads/latest) and compare the chain with
// it, and send the chain's head after a cycle (POST /v1/audit-heads), keeping what the server
// says it witnessed. The server's 409 audit_history_rewritten is shown like a chain that lost
// the witnessed head: the same blocking warning.
import * as api from '../../../../shared/protocol/central-api';
import type { WitnessedHeadCheck } from '../../../../shared/api/types';
import { err, ok, type Result } from '../../../../shared/result';
import type { CentralClient } from './central-client';
import { stopped, type CycleContext, type CycleError } from './cycle-context';
import type { OutboxRow } from './outbox';

/** Asks for the last witnessed head and checks the chain contains it; ok(null) when none was witnessed yet. */
export async function checkLatestHead(cx: CycleContext, client: CentralClient): Promise<Result<WitnessedHeadCheck | null, CycleError>> {
  const res = await client.request('latestAuditHead', 'GET', '/v1/audit-heads/latest', api.latestAuditHeadResponse);
  if (cx.closed()) return stopped();
  if (!res.ok) return res.error.kind === 'final' ? ok(null) : err(res.error);
  const now = cx.core.now();
  const before = JSON.stringify(cx.core.auditStatus());
  const head = { seq: res.value.seq, hash: res.value.hash, witnessedAt: new Date(res.value.witnessedAt).toISOString() };
  cx.core.witness.keep(head, now);
  const check = cx.core.witness.compare(head, 'server', now);
  announce(cx, before);
  return ok(check);
}

export async function pushAuditHead(cx: CycleContext, client: CentralClient): Promise<Result<void, CycleError>> {
  if (cx.closed()) return stopped();
  // a chain that lost the witnessed head is not offered for witnessing (witness-guard.ts)
  if (cx.core.witness.historyRewritten()) return ok(undefined);
  const now = cx.core.now();
  const head = cx.core.audit.head();
  if (!cx.outbox.queueAuditHead(head, now)) return ok(undefined);
  const queued = cx.outbox.pendingAuditHead();
  if (!queued) return ok(undefined);
  const row: OutboxRow = { seq: queued.seq, kind: 'audit_head', ref_id: String(head.seq), payload: queued.payload, attempts: 0 };
  const sent = JSON.parse(row.payload) as { seq: number; hash: string; receiptSeq?: number };
  const res = await client.request('auditHead', 'POST', '/v1/audit-heads', api.auditHeadResponse, sent);
  if (cx.closed()) return stopped();
  if (res.ok) {
    cx.core.db
      .transaction(() => {
        cx.outbox.markSent(row, cx.core.now());
        cx.core.witness.keep({ seq: sent.seq, hash: sent.hash, witnessedAt: new Date(res.value.witnessedAt).toISOString() }, cx.core.now());
      })
      .immediate();
    return ok(undefined);
  }
  if (res.error.kind !== 'final') return err(res.error);
  cx.outbox.markFailed(row, `audit head refused by the server: ${res.error.message}`, cx.core.now());
  if (res.error.error === api.AUDIT_HISTORY_REWRITTEN) {
    const before = JSON.stringify(cx.core.auditStatus());
    cx.core.witness.serverRefusedHead(res.error.message);
    announce(cx, before);
    // name the witnessed entry and time, as the start-up check does
    const latest = await checkLatestHead(cx, client);
    if (!latest.ok) return latest;
  }
  return ok(undefined);
}

/** Tells the screens when the audit check changed (a blocking warning appears). */
function announce(cx: CycleContext, before: string): void {
  const after = cx.core.auditStatus();
  if (JSON.stringify(after) === before) return;
  if (!after.ok) cx.core.log.error('audit history removed or rewritten after the central server witnessed it', { problem: after.problem, witnessed: after.witnessed });
  cx.emit({ type: 'auditStatus', audit: after });
}
