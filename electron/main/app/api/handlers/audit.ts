// The audit log for supervisors: search it, and check it on demand — the chain, and that it
// still holds the last head the central server witnessed (asked now when the server answers,
// else the copy kept here).
import { ok } from '../../../../../shared/result';
import { searchAudit } from '../../audit/search';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function auditHandlers(core: Core): SomeHandlers<'listAudit' | 'verifyAudit'> {
  return {
    listAudit: (input) => ok(searchAudit(core.db, input)),
    verifyAudit: async (_input, { now, session }) => {
      await core.verifyAudit();
      if (core.workstation.info().enrolled) await core.sync.checkWitnessedHead();
      const status = core.auditStatus();
      core.audit.append('audit.verified', session.personId, { ...status }, now);
      return ok(status);
    },
  };
}
