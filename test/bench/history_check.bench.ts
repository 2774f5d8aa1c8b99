// history_check: one seeded run of the history checker (test/history/): 3 server processes
// with skewed clocks behind fault proxies, 7 desks at 3 centres, the platform redeeming codes,
// supervisors deciding, register re-imports, a SIGKILL of a server process, a PostgreSQL
// restart — then every check of test/history/checker.ts. Prints the one JSON line; on a
// violation, also the shortest history of each kind (stderr) and exits 1.
//   npm run bench -- history_check [--seed N] [--operations N] [--engine embedded|postgres]
// Without --seed a new one is drawn (and printed: the same seed replays the same plan).
import { parseArgs } from 'node:util';
import { runHistoryCheck } from '../history/history-check';
import { printFigure } from './measure';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    operations: { type: 'string', default: '100000' },
    engine: { type: 'string' },
    servers: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '12' },
    'shrink-seconds': { type: 'string', default: '180' },
  },
  strict: true,
});

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const operations = Number(values.operations);
if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(operations) || operations < 1) {
  console.error('history_check: --seed and --operations take whole numbers');
  process.exit(2);
}
if (values.engine !== undefined && values.engine !== 'embedded' && values.engine !== 'postgres') {
  console.error('history_check: --engine is embedded or postgres');
  process.exit(2);
}
console.error(`history_check: seed ${seed}, ${operations} operations`);
const result = await runHistoryCheck({
  seed,
  operations,
  servers: Number(values.servers),
  concurrency: Number(values.concurrency),
  shrinkBudgetMs: Number(values['shrink-seconds']) * 1000,
  ...(values.engine ? { engine: values.engine as 'embedded' | 'postgres' } : {}),
});
printFigure(result.figure);
if (result.violations.length > 0) {
  console.error(result.report);
  process.exit(1);
}
process.exit(0);
