// The supervisor's reports: the live dashboard. (The end-of-day statement is an export:
// reports/statement.ts, written through the exports mechanism.)
import { ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import { buildDashboard } from '../../reports/dashboard';
import type { SomeHandlers } from '../handler';

export function reportHandlers(core: Core): SomeHandlers<'dashboard'> {
  return {
    // what the server refused is counted where Sync status counts it (sync/refused.ts)
    dashboard: (_input, { now }) => ok(buildDashboard(core.db, now, core.sync.refused.count())),
  };
}
