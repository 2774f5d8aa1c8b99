// Sending supervisors' decisions (POST /v1/flags/{flagId}/resolution) to the flag the server
// raised on the receipt — for a flag the desk raised too, since the server flags every receipt
// that carries deskFlag and gives its flag id in the receipt's result. A 200 keeps the server's
// commit order (ResolutionOut.seq). Only the server's own words for this request (server-words.ts)
// refuse a decision; a proxy's 403 or 404, or any other transport failure, ends the cycle with
// the decision still waiting.
import * as api from '../../../../shared/protocol/central-api';
import { ok, type Result } from '../../../../shared/result';
import type { CentralClient } from './central-client';
import { stopped, type CycleContext, type CycleError } from './cycle-context';
import { BLOCKED_BY_RECEIPT, REFUSED_DECISION, type ResolutionPayload } from './outbox';
import { safeJson } from './push-receipts';

export async function pushDecisions(cx: CycleContext, client: CentralClient): Promise<Result<void, CycleError>> {
  const rows = cx.outbox.pending('resolution', 1_000);
  for (const row of rows) {
    if (cx.closed()) return stopped();
    const p = safeJson(row.payload) as ResolutionPayload | null;
    if (!p || typeof p.receiptId !== 'string') {
      cx.outbox.markFailed(row, 'this decision cannot be sent: its record is unreadable', cx.core.now());
      continue;
    }
    const verdict = cx.outbox.serverVerdictOf(p.receiptId);
    if (!verdict || verdict.outcome === 'rejected') {
      // its receipt has not reached the server yet (it goes first next cycle), or the server
      // refused it: the decision waits with it, and goes when the receipt is sent again
      if (!cx.outbox.receiptWaiting(p.receiptId)) cx.outbox.markFailed(row, BLOCKED_BY_RECEIPT, cx.core.now());
      continue;
    }
    if (!verdict.serverFlagId) {
      // the server accepted a receipt the desk flagged (sent before deskFlag existed): nothing to resolve there
      cx.outbox.markSent(row, cx.core.now(), `the server did not flag this receipt (${verdict.outcome}); the decision is kept here only`);
      continue;
    }
    const body = { resolutionId: p.resolutionId, decision: p.decision, note: p.note, supervisorId: p.supervisorId, decidedAt: p.decidedAt };
    const res = await client.request('resolution', 'POST', `/v1/flags/${encodeURIComponent(verdict.serverFlagId)}/resolution`, api.resolutionOut, body);
    if (cx.closed()) return stopped();
    if (res.ok) {
      const lifted = cx.outbox.markDecisionAccepted(row, res.value.seq ?? null, cx.core.now());
      if (lifted) cx.emit({ type: 'flagsChanged' });
    } else if (res.error.kind === 'final') {
      // The server knows more than the desk (e.g. the member's other envelope counts at
      // another desk): the decision stops counting here and the flag is open again.
      // One transaction: a crash between the two would leave the row failed (never sent
      // again) with the refused decision still counting here.
      const reason = res.error.message;
      const now = cx.core.now();
      const refused = cx.core.db
        .transaction(() => {
          cx.outbox.markFailed(row, `${REFUSED_DECISION}${reason}`, now);
          return cx.core.serverFlags.recordRefusal(p.resolutionId, reason, now);
        })
        .immediate();
      if (refused) cx.emit({ type: 'flagsChanged' });
    } else return res;
    cx.emitStatus();
  }
  return ok(undefined);
}
