// Setting the workstation up: work offline for an election, and its settings.
import { err, ok } from '../../../../../shared/result';
import { Settings } from '../../settings';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function workstationHandlers(core: Core): SomeHandlers<'configureOffline' | 'updateSettings'> {
  return {
    configureOffline: (input, { now, session }) => {
      // On an enrolled desk the central server owns the election and its close: typing them
      // here would last only until the next sync put them back. Leaving enrolment is a choice
      // the supervisor confirms (leaveEnrolment); what waits to be sent stays, for a later enrolment.
      const before = core.workstation.info();
      if (before.enrolled && input.leaveEnrolment !== true) {
        return err({
          code: 'conflict',
          message: 'This desk is enrolled: the central server sets its election and closing time. To set them here, leave enrolment first (and confirm it).',
        });
      }
      const { leaveEnrolment: _leave, ...election } = input;
      core.db.transaction(() => {
        core.workstation.update({
          workstation_name: input.workstationName,
          election_number: input.electionNumber,
          election_name: input.electionName,
          closes_at: new Date(input.closesAt).toISOString(),
          ...(before.enrolled ? { device_id: null, centre_id: null, centre_name: null, enrolled_at: null, server_key: null } : {}),
        });
        core.audit.append('workstation.configured', session.personId, { mode: 'offline', ...election, ...(before.enrolled ? { leftEnrolment: before.serverUrl } : {}) }, now);
      }).immediate();
      return ok(core.workstation.info());
    },
    updateSettings: (input, { now, session }) => {
      const refused = Settings.refusal(input);
      if (refused) return err({ code: 'invalid_input', message: refused });
      let settings = core.settings.get();
      core.db.transaction(() => {
        const changed = core.settings.change(input);
        if (changed.ok) settings = changed.value;
        core.audit.append('settings.changed', session.personId, { ...input }, now);
      }).immediate();
      return ok(settings);
    },
  };
}
