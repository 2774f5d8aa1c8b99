// The proof of the server's guarantees (issue 12, item 4): the seeded history checker on a few
// seeds — 3 server processes with skewed clocks behind fault proxies, 7 desks at 3 centres,
// a SIGKILL and a PostgreSQL restart each — must find no violation. On DATABASE_URL's server
// (a scratch database) when it is set, else on the embedded PostgreSQL. A failing seed prints
// its shortest histories and replays with `npm run bench -- history_check --seed N --operations N`.
// Sized for CI (two cores): HISTORY_CHECK_OPERATIONS and HISTORY_CHECK_SEEDS make it bigger.
import { describe, expect, it } from 'vitest';
import { runHistoryCheck } from './history-check';

const SEEDS = (process.env.HISTORY_CHECK_SEEDS ?? '1,2,3').split(',').map(Number);
const OPERATIONS = Number(process.env.HISTORY_CHECK_OPERATIONS ?? 1000);

describe('the seeded history checker', () => {
  it.each(SEEDS)(
    'seed %i: one vote per member, derived state, stored answers, no unexplained 5xx, no lost decision',
    async (seed) => {
      const r = await runHistoryCheck({ seed, operations: OPERATIONS, shrinkBudgetMs: 30_000, log: () => undefined });
      console.log(JSON.stringify(r.figure));
      if (r.violations.length > 0) console.log(r.report);
      expect(r.violations.length, `seed ${seed}: ${JSON.stringify(r.figure.violations_by_kind)}\n${r.report.slice(0, 4000)}`).toBe(0);
    },
    300_000,
  );
});
