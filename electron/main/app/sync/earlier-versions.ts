// What a desk upgraded from an earlier version needs once, at the engine's start.
import type { SyncDeps } from './deps';
import type { Outbox } from './outbox';
import type { RefusedItems } from './refused';

/** A desk upgraded from before migration 004: its refused decisions stop counting now. True when a flag changed. */
export function recordEarlierRefusals(outbox: Outbox, core: Pick<SyncDeps, 'serverFlags' | 'now'>): boolean {
  let any = false;
  for (const r of outbox.earlierRefusals()) any = core.serverFlags.recordRefusal(r.decisionId, r.reason, core.now()) || any;
  return any;
}

/** An older desk took proxies' error pages for refusals (issue 13): those rows were never refused; they go again. */
export function resendEarlierTransportFailures(refused: RefusedItems, core: Pick<SyncDeps, 'log' | 'now'>): void {
  const seqs = refused.earlierTransportFailures();
  if (seqs.length === 0) return;
  const n = refused.resend(seqs, null, 'an earlier version took an answer that was not the central server’s (a proxy’s error page) for a refusal', core.now());
  core.log.warn('items an earlier version marked refused on a proxy’s answer are sent again', { count: n });
}
