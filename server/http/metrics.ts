// Prometheus metrics (GET /metrics). One registry per server instance, so tests can run
// several servers in one process without their counters mixing.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  registry: Registry;
  receipts: Counter<'outcome' | 'kind'>;
  redemptions: Counter<'result'>;
  auditAlerts: Counter;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    receipts: new Counter({
      name: 'ballot_receipts_total',
      help: 'Receipts judged by the server, by outcome and flag kind (kind="none" when not flagged)',
      labelNames: ['outcome', 'kind'],
      registers: [registry],
    }),
    redemptions: new Counter({
      name: 'ballot_online_code_redemptions_total',
      help: 'Online-code redemption attempts, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    auditAlerts: new Counter({
      name: 'ballot_audit_history_rewritten_total',
      help: 'Audit heads refused because a workstation history was cut or rewritten after the server witnessed it',
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
  };
}
