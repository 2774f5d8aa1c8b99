// Setting the workstation up: work offline for an election, and its settings.
import { ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function workstationHandlers(core: Core): SomeHandlers<'configureOffline' | 'updateSettings'> {
  const actor = () => core.session.info!.personId;
  return {
    configureOffline: (input, { now }) => {
      core.db.transaction(() => {
        core.workstation.update({
          workstation_name: input.workstationName,
          election_number: input.electionNumber,
          election_name: input.electionName,
          closes_at: new Date(input.closesAt).toISOString(),
        });
        core.audit.append('workstation.configured', actor(), { mode: 'offline', ...input }, now);
      }).immediate();
      return ok(core.workstation.info());
    },
    updateSettings: (input, { now }) => {
      let settings = core.settings.get();
      core.db.transaction(() => {
        settings = core.settings.set(input);
        core.audit.append('settings.changed', actor(), { ...input }, now);
      }).immediate();
      return ok(settings);
    },
  };
}
