// Samples each desk's Sync status every 100 ms — as the core computes it (the syncStatus
// operation) and as the screens were last told it (the syncStatus push event) — and compares
// both with the outbox itself, read in the same synchronous step: a receipt or decision made
// here that is not on the server (waiting, or refused) while the status says "Up to date" is a
// violation. The outbox query is independent of the engine's own counting.
import type { SyncStatus } from '../../shared/api/types';
import type { Workstation } from './helpers';

export interface SamplerResult {
  samples: number;
  violations: string[];
  /** every distinct status text seen */
  texts: string[];
}

export function statusSampler(desks: Workstation[], everyMs = 100): { stop(): SamplerResult } {
  const shown: Array<SyncStatus | null> = desks.map(() => null);
  const offs = desks.map((ws, i) =>
    ws.core.onEvent((e) => {
      if (e.type === 'syncStatus') shown[i] = e.status;
    }),
  );
  const truth = desks.map((ws) => ws.core.db.prepare("SELECT count(*) AS n FROM outbox WHERE kind IN ('receipt', 'resolution') AND sent_at IS NULL").pluck());
  let samples = 0;
  const violations: string[] = [];
  const texts = new Set<string>();
  const timer = setInterval(() => {
    desks.forEach((ws, i) => {
      // a test that failed closes its desks before it could stop the sampler
      if (!ws.core.db.open) return;
      const notOnServer = truth[i]!.get() as number;
      const computed = ws.engine.status();
      samples++;
      texts.add(computed.text);
      const at = new Date().toISOString();
      if (notOnServer > 0 && computed.text.includes('Up to date')) violations.push(`${at} desk ${i + 1}: syncStatus says "${computed.text}" with ${notOnServer} not on the server`);
      if (notOnServer > 0 && shown[i]?.text.includes('Up to date')) violations.push(`${at} desk ${i + 1}: the screen was told "${shown[i]!.text}" with ${notOnServer} not on the server`);
    });
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      for (const off of offs) off();
      return { samples, violations, texts: [...texts] };
    },
  };
}
