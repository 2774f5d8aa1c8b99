// sync_push: receipts per second from one workstation to the central server (a child process
// on its embedded PostgreSQL, and on DATABASE_URL's PostgreSQL when that is set): receipts
// queued while the server was down, pushed in batches of 500 until Up to date.
// SYNC_PUSH_RECEIPTS sets the count.
import { loadavg } from 'node:os';
import { catchUp } from '../sync/catch-up';
import { cleanUp, ENGINES } from '../sync/helpers';
import { printFigure, round } from './measure';

const receipts = Number(process.env.SYNC_PUSH_RECEIPTS ?? 20_000);
for (const engine of ENGINES) {
  const r = await catchUp({ engine, receipts });
  await r.ws.close();
  await r.server.kill('SIGTERM');
  printFigure({
    bench: 'sync_push',
    engine,
    receipts_per_s: round(receipts / r.total_s, 0),
    receipts,
    total_s: round(r.total_s, 2),
    batch: 500,
    load_average: round(loadavg()[0]!, 1),
  });
  await cleanUp();
}
process.exit(0);
