// Sync from the screen: enrolment with a central server, "Sync now", the sync status, and the
// items the server refused (listed with its words, sent again on a supervisor's request).
// The device token stays in the main process: no answer here carries it.
import { err, ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import { enrolWorkstation } from '../../sync/enrol';
import type { SomeHandlers } from '../handler';

export function syncHandlers(core: Core): SomeHandlers<'enrol' | 'syncNow' | 'syncStatus' | 'listRefused' | 'resendRefused'> {
  const engine = core.sync;
  return {
    enrol: async (input, { now, session }) => {
      const r = await enrolWorkstation(core, input, session.personId, now);
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
    listRefused: () => ok(engine.refused.list()),
    resendRefused: (input, { now, session }) => {
      const resent = engine.resend(input.outboxSeqs, session.personId, now);
      if (resent === 0) return err({ code: 'conflict' as const, message: 'None of these is refused any more: the list has changed. Look again.' });
      return ok({ resent, status: engine.status() });
    },
  };
}
