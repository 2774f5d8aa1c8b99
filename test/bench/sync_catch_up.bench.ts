// sync_catch_up: time for queued receipts (100,000 by default; SYNC_CATCH_UP_RECEIPTS to
// change) recorded offline to reach Up to date, with the app core's longest event-loop stall
// and its peak memory. The central server is a child process on its embedded PostgreSQL.
import { loadavg } from 'node:os';
import { cleanUp } from '../sync/helpers';
import { catchUp } from '../sync/catch-up';
import { peakRssMb, printFigure, round } from './measure';

const receipts = Number(process.env.SYNC_CATCH_UP_RECEIPTS ?? 100_000);
const r = await catchUp({ engine: 'embedded', receipts });
await r.ws.close();
printFigure({
  bench: 'sync_catch_up',
  receipts,
  total_s: round(r.total_s, 2),
  max_event_loop_stall_ms: r.max_event_loop_stall_ms,
  peak_rss_mb: peakRssMb(),
  engine_longest_step_ms: r.engine_longest_step_ms,
  engine_longest_step_cpu_ms: r.engine_longest_step_cpu_ms,
  load_average: round(loadavg()[0]!, 1),
  receipts_per_s: round(receipts / r.total_s, 0),
  record_offline_s: round(r.record_s, 2),
  server_engine: 'embedded',
});
await cleanUp();
process.exit(0);
