// Sending the outbox's receipts (POST /v1/receipts) in batches of up to 500. Each receipt
// carries the flag the desk showed the operator (deskFlag), so the server flags it too and
// never counts an envelope the operator set aside. Only the server's word marks a receipt
// refused: a per-item `rejected` result, or, for a single receipt, the server's problem+json
// `invalid_request`. A 413 splits the batch (and later batches stay that small); a 413 for one
// receipt, like every other transport failure, ends the cycle with everything still waiting.
// The smaller size is kept for the next batches, and the full size tried again now and then.
import * as api from '../../../../shared/protocol/central-api';
import { err, ok, type Result } from '../../../../shared/result';
import type { CentralClient } from './central-client';
import { stopped, yieldToLoop, type CycleContext, type CycleError } from './cycle-context';
import { REFUSED_RECEIPT, type OutboxRow } from './outbox';

/** Batches sent at a size lowered by a 413 before the full size is tried again (a 413 may have been a passing one). */
const TRY_LARGER_AFTER = 20;

export class ReceiptPush {
  /** the batch size now: the protocol's 500, or less after a 413 */
  private limit: number;
  private sentAtLimit = 0;

  constructor(
    private readonly cx: CycleContext,
    private readonly batchSizeMax: number,
  ) {
    this.limit = batchSizeMax;
  }

  /** the batch size in use (smaller after a 413) */
  batchSize(): number {
    return this.limit;
  }

  async push(client: CentralClient): Promise<Result<void, CycleError>> {
    const { cx } = this;
    for (;;) {
      if (cx.closed()) return stopped();
      const rows = cx.timed(() => cx.outbox.pending('receipt', this.limit));
      if (rows.length === 0) return ok(undefined);
      const r = await this.send(client, rows);
      if (!r.ok) return r;
      if (this.limit < this.batchSizeMax && ++this.sentAtLimit >= TRY_LARGER_AFTER) {
        this.limit = Math.min(this.batchSizeMax, this.limit * 2);
        this.sentAtLimit = 0;
      }
      cx.timed(() => cx.emitStatus());
      await yieldToLoop();
    }
  }

  private async send(client: CentralClient, rows: OutboxRow[]): Promise<Result<void, CycleError>> {
    const { cx } = this;
    // A payload the protocol refuses would make the server refuse the whole batch: such a
    // row (a desk-side fault, never a transport one) is failed on its own, and the rest go.
    const receipts: api.ReceiptIn[] = [];
    const sendable: OutboxRow[] = [];
    for (const row of rows) {
      const payload = safeJson(row.payload) as Record<string, unknown> | null;
      const parsed = api.receiptIn.safeParse(payload && row.desk_flag ? { ...payload, deskFlag: { kind: row.desk_flag } } : payload);
      if (parsed.success) {
        receipts.push(parsed.data);
        sendable.push(row);
      } else cx.outbox.markFailed(row, `this receipt cannot be sent: ${parsed.error.issues[0]?.message ?? 'bad payload'}`, cx.core.now());
    }
    if (sendable.length === 0) return ok(undefined);
    const res = await client.request('receipts', 'POST', '/v1/receipts', api.receiptsResponse, { receipts });
    if (cx.closed()) return stopped();
    if (!res.ok) {
      const e = res.error;
      const splittable = (e.kind === 'final' || (e.kind === 'transport' && e.cause === 'too_large')) && sendable.length > 1;
      if (splittable) {
        // find the receipt(s) the refusal is about, or a size the way takes, by halving
        const half = Math.ceil(sendable.length / 2);
        if (e.kind === 'transport') {
          this.limit = Math.min(this.limit, half);
          this.sentAtLimit = 0;
        }
        const first = await this.send(client, sendable.slice(0, half));
        if (!first.ok) return first;
        return this.send(client, sendable.slice(half));
      }
      if (e.kind === 'final') {
        cx.outbox.markFailed(sendable[0]!, `${REFUSED_RECEIPT}${e.message}`, cx.core.now());
        return ok(undefined);
      }
      return err(e);
    }
    const results = res.value.results;
    if (results.length !== sendable.length || results.some((r, i) => r.receiptId.toLowerCase() !== sendable[i]!.ref_id.toLowerCase())) {
      return err({ kind: 'transport', cause: 'unreadable', status: 200, message: "the central server's results do not match the receipts sent" });
    }
    const tally = cx.timed(() => cx.outbox.recordReceiptResults(sendable, results, cx.core.now()));
    if (tally.newFlags > 0) cx.emit({ type: 'flagsChanged' });
    return ok(undefined);
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
