// Who is at the screen: the app's state for the renderer, first run, sign-in and sign-out.
import { err, ok } from '../../../../../shared/result';
import type { Core } from '../../core';
import type { SomeHandlers } from '../handler';

export function sessionHandlers(core: Core): SomeHandlers<'getState' | 'listSignInNames' | 'createFirstSupervisor' | 'signIn' | 'signOut'> {
  return {
    getState: () =>
      ok({
        firstRun: core.people.count() === 0,
        workstation: core.workstation.info(),
        session: core.session.info,
        openBatch: core.batches.openSummary(),
        settings: core.settings.get(),
        registerRows: core.register.rows(),
        audit: core.auditStatus(),
      }),

    listSignInNames: () => ok(core.people.signInNames()),

    createFirstSupervisor: async (input, { now }) => {
      if (core.people.count() > 0) return err({ code: 'conflict', message: 'The first supervisor already exists: sign in instead.' });
      // checked again in the transaction that adds: of two calls at once, one wins
      const added = await core.people.createFirstSupervisor({ name: input.name, pin: input.pin }, now);
      if (!added.ok) return added;
      const session = { personId: added.value.id, name: added.value.name, role: added.value.role };
      core.session.start(session, now);
      core.audit.append('signin.succeeded', session.personId, { name: session.name, role: session.role, firstRun: true }, now);
      return ok(session);
    },

    signIn: async (input, { now }) => {
      const result = await core.people.signIn(input.personId, input.pin, now);
      if (!result.ok) return result;
      core.session.start(result.value, now);
      return ok(result.value);
    },

    signOut: (_input, { now }) => {
      const was = core.session.end();
      if (was) core.audit.append('session.ended', was.personId, { reason: 'signed out' }, now);
      core.emit({ type: 'sessionEnded', reason: 'signed_out' });
      return ok(null);
    },
  };
}
