// The supervisor's review: the flags table, one flag, and decisions on one or many flags.
import { ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function flagHandlers(core: Core): SomeHandlers<'listFlags' | 'getFlag' | 'decideFlags'> {
  return {
    listFlags: (input) => ok(core.flags.list(input)),
    getFlag: (input, { session }) => core.flags.get(input.flagId, session.personId),
    decideFlags: (input, { now, session }) => {
      // One transaction per flag: one refused flag does not hold back the others.
      const results = input.flagIds.map((flagId) => {
        const decided = core.flags.decide(flagId, input.decision, input.note, { personId: session.personId, name: session.name }, now);
        return decided.ok ? { flagId, ok: true, message: null } : { flagId, ok: false, message: decided.error.message };
      });
      if (results.some((r) => r.ok)) core.emit({ type: 'flagsChanged' });
      return ok(results);
    },
  };
}
