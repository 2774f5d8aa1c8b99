// Sync from the screen: enrolment with a central server, "Sync now" and the sync status.
// The device token stays in the main process: no answer here carries it.
import { err, ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import { enrolWorkstation } from '../../sync/enrol';
import { syncEngineOf } from '../../sync';
import type { SomeHandlers } from '../handler';

export function syncHandlers(core: Core): SomeHandlers<'enrol' | 'syncNow' | 'syncStatus'> {
  const engine = syncEngineOf(core);
  return {
    enrol: async (input, { now }) => {
      const r = await enrolWorkstation(core, input, core.session.info?.personId ?? null, now);
      if (r.ok) engine.enrolled();
      return r;
    },
    syncNow: async () => {
      if (!core.workstation.info().enrolled) {
        return err({ code: 'unavailable' as const, message: 'This workstation works offline: enrol it with a central server first.' });
      }
      return ok(await engine.syncNow());
    },
    syncStatus: () => ok(engine.status()),
  };
}
