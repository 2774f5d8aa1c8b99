// Exports written for the returning officer and for checking (each one audited with its SHA-256).
// The end-of-day statement also asks the central server for the whole centre's figures, which
// the dashboard shows too.
import { ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import { centreFiguresOf } from '../../reports/statement-centre';
import type { SomeHandlers } from '../handler';

export function exportHandlers(core: Core): SomeHandlers<'exportData' | 'centreFigures'> {
  const engine = core.sync;
  const centreFigures = async () => centreFiguresOf(await engine.centreSummary(), core.workstation.deviceId(), engine.receiptsWaiting());
  return {
    exportData: (input, { now, session }) => core.exports.write(input.what, session.personId, now, centreFigures),
    // The dashboard's view of the whole centre: the same figures the statement prints.
    centreFigures: async () => ok(await centreFigures()),
  };
}
