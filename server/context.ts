// What every route needs: the database, the clock, the online-code hasher and the metrics.
import type { Db } from './db/db';
import type { ServerMetrics } from './http/metrics';
import type { CodeHasher } from './security/tokens';

export interface ServerContext {
  db: Db;
  hashCode: CodeHasher;
  metrics: ServerMetrics;
  /** injectable for tests (enrolment-code expiry, late returns) */
  now: () => Date;
  enrolmentCodeMinutes: number;
  /** how long one read of a centre's summary answers every dashboard of that centre */
  centreSummaryWindowMs: number;
  enrolAttemptsPerMinute: number;
  /** over https (--tls-cert): the fingerprint of the server's key, printed with each enrolment code */
  serverKey: string | null;
}
