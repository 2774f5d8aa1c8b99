// The audit log for supervisors: search it, and check it on demand.
import { ok } from '../../../../../shared/result';
import { searchAudit } from '../../audit/search';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function auditHandlers(core: Core): SomeHandlers<'listAudit' | 'verifyAudit'> {
  return {
    listAudit: (input) => ok(searchAudit(core.db, input)),
    verifyAudit: async (_input, { now }) => {
      const status = await core.verifyAudit();
      core.audit.append('audit.verified', core.session.info!.personId, { ...status }, now);
      return ok(status);
    },
  };
}
